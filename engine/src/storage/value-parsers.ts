/** Postgres type oids whose text form Kehu keeps or reshapes itself. */
export const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

/** `2024-01-02 03:04:05.123456+00` (session time zone UTC) to `2024-01-02T03:04:05.123456Z`. */
export function timestamptzToIso(text: string): string {
  const iso = text.replace(" ", "T");
  return iso.endsWith("+00") ? `${iso.slice(0, -3)}Z` : iso;
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
