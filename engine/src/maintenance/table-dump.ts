import type { Knex } from "knex";
import { quoteIdent } from "../storage/identifiers";

/**
 * Every row of every table of `kehu` and `data` as sorted lines of PostgreSQL's own text of each value, by table:
 * what tests compare to prove two databases hold the same. `skip` leaves tables out (`kehu.sessions`).
 */
export async function dumpTables(knex: Knex, skip: readonly string[] = []): Promise<Record<string, string[]>> {
  const { rows } = await knex.raw(
    `SELECT n.nspname || '.' || c.relname AS table, string_agg(quote_ident(a.attname), ',' ORDER BY a.attname) AS columns
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname IN ('kehu', 'data') AND c.relkind = 'r' GROUP BY 1 ORDER BY 1`,
  );
  const out: Record<string, string[]> = {};
  for (const { table, columns } of rows as Array<{ table: string; columns: string }>) {
    if (skip.includes(table)) continue;
    const values = columns
      .split(",")
      .map((c) => `${c}::text`)
      .join(", ");
    const [schema, name] = table.split(".");
    const result = await knex.raw(
      `SELECT ARRAY[${values}]::text[] AS r FROM ${quoteIdent(schema)}.${quoteIdent(name)}`,
    );
    out[table] = (result.rows as Array<{ r: unknown[] }>).map((r) => JSON.stringify(r.r)).sort();
  }
  return out;
}
