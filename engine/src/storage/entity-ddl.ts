import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { columnsOf, searchableFields } from "./columns";
import { entityTable, quoteIdent, SEARCH_COLUMN } from "./identifiers";

/**
 * SQL that builds an entity's table from its definition: system columns, one column per stored field,
 * the generated search column with its trigram index, and declared indexes. Unique keys ignore
 * soft-deleted rows, so a deleted customer's code can be reused.
 */
export function createTableSql(entity: EntityDefinition): string[] {
  const table = entityTable(entity.name);
  const columns = [
    "id uuid PRIMARY KEY DEFAULT gen_random_uuid()",
    "version integer NOT NULL DEFAULT 1",
    "created_at timestamptz NOT NULL DEFAULT now()",
    "updated_at timestamptz NOT NULL DEFAULT now()",
    "created_by text",
    "owner_id uuid",
    "department_id uuid",
    "deleted_at timestamptz",
    ...entity.fields.flatMap((f) => columnsOf(f).map((c) => `${quoteIdent(c.name)} ${c.sqlType}`)),
    searchColumnSql(entity.fields),
  ];
  return [
    `CREATE TABLE ${table} (\n  ${columns.join(",\n  ")}\n)`,
    searchIndexSql(entity.name),
    `CREATE INDEX ${quoteIdent(`${entity.name}__created_at`)} ON ${table} (created_at, id)`,
    ...entity.fields.flatMap((f) => fieldIndexSql(entity.name, f)),
    ...(entity.indexes ?? []).map((ix) => compositeIndexSql(entity.name, ix.fields, ix.unique ?? false)),
  ];
}

/** The generated column holding the lower-cased searchable text; immutable expressions only. */
export function searchColumnSql(fields: readonly FieldDefinition[]): string {
  const parts = searchableFields(fields).map((f) => `coalesce(${quoteIdent(f.name)}, '')`);
  const expr = parts.length ? `lower(${parts.join(" || ' ' || ")})` : "''";
  return `${SEARCH_COLUMN} text GENERATED ALWAYS AS (${expr}) STORED`;
}

export function searchIndexSql(entity: string): string {
  return `CREATE INDEX ${quoteIdent(`${entity}__search`)} ON ${entityTable(entity)} USING gin (${SEARCH_COLUMN} gin_trgm_ops)`;
}

/** Index name of a single-field index or unique key. */
export function fieldIndexName(entity: string, field: string, unique: boolean): string {
  return `${entity}__${field}__${unique ? "uq" : "ix"}`;
}

/** The unique key or index a field asks for (`unique`, `indexed`, or a reference, which is always indexed). */
export function fieldIndexSql(entity: string, field: FieldDefinition): string[] {
  const table = entityTable(entity);
  const col = quoteIdent(field.name);
  if (field.unique)
    return [
      `CREATE UNIQUE INDEX ${quoteIdent(fieldIndexName(entity, field.name, true))} ON ${table} (${col}) WHERE deleted_at IS NULL`,
    ];
  if (field.indexed || field.type === "reference")
    return [`CREATE INDEX ${quoteIdent(fieldIndexName(entity, field.name, false))} ON ${table} (${col})`];
  return [];
}

export function compositeIndexName(entity: string, fields: readonly string[], unique: boolean): string {
  return `${entity}__${fields.join("__")}__${unique ? "uq" : "ix"}`.slice(0, 63);
}

export function compositeIndexSql(entity: string, fields: readonly string[], unique: boolean): string {
  const cols = fields.map(quoteIdent).join(", ");
  const name = quoteIdent(compositeIndexName(entity, fields, unique));
  return unique
    ? `CREATE UNIQUE INDEX ${name} ON ${entityTable(entity)} (${cols}) WHERE deleted_at IS NULL`
    : `CREATE INDEX ${name} ON ${entityTable(entity)} (${cols}, id)`;
}
