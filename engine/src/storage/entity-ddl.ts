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
  const kind = fieldIndexKind(field);
  if (kind === "unique")
    return [
      `CREATE UNIQUE INDEX ${quoteIdent(fieldIndexName(entity, field.name, true))} ON ${table} (${col}) WHERE deleted_at IS NULL`,
    ];
  if (kind === "index")
    return [`CREATE INDEX ${quoteIdent(fieldIndexName(entity, field.name, false))} ON ${table} (${col}, id)`];
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

/** The single-field index a field asks for, if any: its unique key, or a plain index (references always get one). */
export function fieldIndexKind(field: FieldDefinition): "unique" | "index" | undefined {
  if (field.unique) return "unique";
  if (field.indexed || field.type === "reference") return "index";
  return undefined;
}

/** Adds a field's column(s); a default literal is written into every existing row, then left to the app. */
export function addFieldColumnsSql(entity: string, field: FieldDefinition, defaultLiteral?: string): string[] {
  const table = entityTable(entity);
  return columnsOf(field).flatMap((c, i) => {
    const col = quoteIdent(c.name);
    if (i > 0 || defaultLiteral === undefined) return [`ALTER TABLE ${table} ADD COLUMN ${col} ${c.sqlType}`];
    // ADD with a default fills existing rows without a rewrite; new rows get defaults from the app, not the column.
    return [
      `ALTER TABLE ${table} ADD COLUMN ${col} ${c.sqlType} DEFAULT ${defaultLiteral}`,
      `ALTER TABLE ${table} ALTER COLUMN ${col} DROP DEFAULT`,
    ];
  });
}

/** Drops a field's column(s), both of them for money. */
export function dropFieldColumnsSql(entity: string, field: FieldDefinition): string[] {
  return columnsOf(field).map((c) => `ALTER TABLE ${entityTable(entity)} DROP COLUMN ${quoteIdent(c.name)}`);
}

/** Renames a field's column(s) from `from` to `to`. */
export function renameFieldColumnsSql(entity: string, field: FieldDefinition, from: string, to: string): string[] {
  const before = columnsOf({ ...field, name: from });
  const after = columnsOf({ ...field, name: to });
  return before.map(
    (c, i) => `ALTER TABLE ${entityTable(entity)} RENAME COLUMN ${quoteIdent(c.name)} TO ${quoteIdent(after[i].name)}`,
  );
}

/** Changes a column's type, computing each new value with `using` (an expression over the old column). */
export function alterColumnTypeSql(entity: string, column: string, sqlType: string, using: string): string {
  return `ALTER TABLE ${entityTable(entity)} ALTER COLUMN ${quoteIdent(column)} TYPE ${sqlType} USING (${using})`;
}

export function dropSearchColumnSql(entity: string): string {
  return `ALTER TABLE ${entityTable(entity)} DROP COLUMN ${SEARCH_COLUMN}`;
}

/** Re-creates the generated search column over the given fields, with its trigram index. */
export function addSearchColumnSql(entity: string, fields: readonly FieldDefinition[]): string[] {
  return [`ALTER TABLE ${entityTable(entity)} ADD COLUMN ${searchColumnSql(fields)}`, searchIndexSql(entity)];
}

export function dropIndexSql(name: string): string {
  return `DROP INDEX data.${quoteIdent(name)}`;
}

export function renameIndexSql(from: string, to: string): string {
  return `ALTER INDEX data.${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`;
}

export function dropTableSql(entity: string): string {
  return `DROP TABLE ${entityTable(entity)}`;
}
