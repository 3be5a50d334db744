/** A Postgres array literal of text values: `{"a","b \"c\""}`. */
export function pgArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${String(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`)).join(",")}}`;
}

/** The text form of a column value, for passing whole columns as text[] and casting in SQL. */
export function pgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return pgArrayLiteral(value);
  return String(value);
}
