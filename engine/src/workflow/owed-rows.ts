/** Rows for one table, inserted later as one statement (see StepEffects). */
export interface OwedRows {
  /** A schema-qualified table, e.g. `kehu.wf_notifications`. */
  table: string;
  rows: Array<Record<string, unknown>>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain SQL identifier`);
  return `"${name}"`;
}

/**
 * The INSERT of owed rows as SQL taking the rows as one jsonb binding named `binding` (knex named bindings): each
 * value is read with the column's own type (jsonb_populate_recordset), and a column no row names keeps its default.
 */
export function insertOwedSql(owed: OwedRows, binding: string): string {
  const table = owed.table.split(".").map(quoted).join(".");
  const columns = [...new Set(owed.rows.flatMap((r) => Object.keys(r)))].map(quoted).join(", ");
  return `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, CAST(:${binding} AS jsonb))`;
}
