import type { Knex } from "knex";

/** One column as the catalog describes it. */
export interface ColumnShape {
  name: string;
  /** `format_type`: `numeric(14,2)`, `text[]`, `timestamp with time zone`. */
  type: string;
  notNull: boolean;
  /** The default expression, or null; for a generated column its expression is in `generated`. */
  default: string | null;
  /** The generation expression of a `GENERATED ALWAYS AS (...) STORED` column, or null. */
  generated: string | null;
}

/** One table: its columns in order, and its constraints, indexes and triggers by name, each with its definition. */
export interface TableShape {
  schema: string;
  name: string;
  columns: Map<string, ColumnShape>;
  constraints: Map<string, string>;
  indexes: Map<string, string>;
  triggers: Map<string, string>;
}

/** Tables (by `schema.table`), functions (by signature, with their full definition) and applied system steps. */
export interface CatalogSnapshot {
  tables: Map<string, TableShape>;
  functions: Map<string, string>;
}

type Row = Record<string, string | boolean | null>;

/** Reads the shape of every table and function in `schemas` (names Kehu controls, never user input). */
export async function readCatalog(knex: Knex, schemas: readonly string[]): Promise<CatalogSnapshot> {
  const inList = `(${schemas.map(() => "?").join(", ")})`;
  const rows = async (sql: string): Promise<Row[]> => (await knex.raw(sql, [...schemas])).rows as Row[];
  const tables = new Map<string, TableShape>();
  const table = (r: Row) => {
    const key = `${r.schema}.${r.table}`;
    let t = tables.get(key);
    if (!t) {
      t = {
        schema: String(r.schema),
        name: String(r.table),
        columns: new Map(),
        constraints: new Map(),
        indexes: new Map(),
        triggers: new Map(),
      };
      tables.set(key, t);
    }
    return t;
  };
  for (const r of await rows(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, a.attgenerated <> '' AS is_generated, pg_get_expr(d.adbin, d.adrelid) AS expr
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE n.nspname IN ${inList} AND c.relkind IN ('r', 'p') ORDER BY n.nspname, c.relname, a.attnum`,
  )) {
    const expr = r.expr === null ? null : String(r.expr);
    table(r).columns.set(String(r.name), {
      name: String(r.name),
      type: String(r.type),
      notNull: r.not_null === true,
      default: r.is_generated ? null : expr,
      generated: r.is_generated ? expr : null,
    });
  }
  // Not-null constraints (PostgreSQL 18 lists them here) are compared through the columns instead.
  for (const r of await rows(
    `SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ${inList} AND con.contype IN ('p', 'u', 'f', 'c', 'x')`,
  ))
    table(r).constraints.set(String(r.name), String(r.def));
  // Indexes that back a constraint come and go with it.
  for (const r of await rows(
    `SELECT n.nspname AS schema, c.relname AS table, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ${inList} AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)`,
  ))
    table(r).indexes.set(String(r.name), String(r.def));
  for (const r of await rows(
    `SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS def
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ${inList} AND NOT t.tgisinternal`,
  ))
    table(r).triggers.set(String(r.name), String(r.def));
  const functions = new Map<string, string>();
  for (const r of await rows(
    `SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS def
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ${inList} AND p.prokind = 'f'`,
  ))
    functions.set(String(r.signature), String(r.def));
  return { tables, functions };
}
