// SQL predicates telling whether a text value would convert, for PostgreSQL 15, which has no pg_input_is_valid.
// Each is false (never an error) for any input: CASE keeps the casts behind the pattern tests.

const SAFE_INTEGER = "9007199254740991";

/** `e` is a whole number within JavaScript's safe integers (Kehu's integers), surrounding spaces allowed. */
export function isIntegerText(e: string): string {
  return `CASE WHEN trim(${e}) ~ '^[+-]{0,1}[0-9]{1,16}$' THEN abs(trim(${e})::numeric) <= ${SAFE_INTEGER} ELSE false END`;
}

/** `e` is a plain decimal number: digits with an optional point, no exponent, NaN or infinity. */
export function isDecimalText(e: string): string {
  return `trim(${e}) ~ '^[+-]{0,1}([0-9]+([.][0-9]*){0,1}|[.][0-9]+)$'`;
}

/** `e` is a word PostgreSQL reads as a boolean. */
export function isBooleanText(e: string): string {
  return `lower(trim(${e})) IN ('true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', '1', '0', 'on', 'off')`;
}

/** `e` is a calendar date written `YYYY-MM-DD` (day checked against the month's length). */
export function isIsoDateText(e: string): string {
  const y = `substr(${e}, 1, 4)::int`;
  const m = `substr(${e}, 6, 2)::int`;
  const d = `substr(${e}, 9, 2)::int`;
  const lastDay = `extract(day FROM make_date(${y}, ${m}, 1) + interval '1 month' - interval '1 day')::int`;
  return `CASE WHEN ${e} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CASE WHEN ${y} >= 1 AND ${m} BETWEEN 1 AND 12 THEN ${d} BETWEEN 1 AND ${lastDay} ELSE false END ELSE false END`;
}

/** `e` is an ISO 8601 date or date-time, with an optional time zone offset (UTC when absent). */
export function isIsoDateTimeText(e: string): string {
  const t = `trim(${e})`;
  const time =
    "([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6}){0,1}){0,1}(Z|[+-]([01][0-9]|2[0-3])(:{0,1}[0-5][0-9]){0,1}){0,1}){0,1}";
  return `CASE WHEN ${t} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}${time}$' THEN ${isIsoDateText(`substr(${t}, 1, 10)`)} ELSE false END`;
}

/** `e` looks like an email address: one `@` with text on both sides and a dot in the domain. */
export function isEmailText(e: string): string {
  return `${e} ~ '^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+$'`;
}

/** `e` is an http(s) URL, the only kind Kehu stores. */
export function isHttpUrlText(e: string): string {
  return `${e} ~* '^https{0,1}://[^[:space:]]+$'`;
}
