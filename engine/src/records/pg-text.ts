/** A Postgres array literal of text values: `{"a","b \"c\""}`. */
export function pgArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(",")}}`;
}

const NEEDS_ESCAPE = /["\\]/;

// Most values hold neither quote nor backslash: test once rather than replace twice (bulk writes send 10,000s).
function arrayElement(value: unknown): string {
  if (value === null) return "NULL";
  const text = String(value);
  return `"${NEEDS_ESCAPE.test(text) ? text.replace(/["\\]/g, "\\$&") : text}"`;
}

/** The text form of a column value, for passing whole columns as text[] and casting in SQL. */
export function pgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return pgArrayLiteral(value);
  return String(value);
}
