/** Postgres type oids whose text form Kehu keeps or reshapes itself. */
export const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

/**
 * `2024-01-02 03:04:05.1+00` (session time zone UTC) to `2024-01-02T03:04:05.100Z`: at least milliseconds,
 * like JavaScript's toISOString, microseconds kept when present.
 */
export function timestamptzToIso(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/.exec(text);
  if (!m) return text;
  const fraction = (m[3] ?? "").padEnd(3, "0").replace(/^(\d{3}\d*?)0+$/, "$1");
  return `${m[1]}T${m[2]}.${fraction}Z`;
}

/** int8 values: Kehu only stores safe integers, and count(*) is int8 too. */
export function int8ToNumber(text: string): number {
  return Number(text);
}

/** Parsers by oid, shared by both backends so records read the same on PGlite and PostgreSQL. */
export const VALUE_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: int8ToNumber,
  [OID.date]: (t) => t,
  [OID.timestamp]: (t) => t,
  [OID.timestamptz]: timestamptzToIso,
  [OID.numeric]: (t) => t,
};
