/** Escapes one segment of a JSON pointer (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  if (typeof segment === "number") return String(segment);
  return NEEDS_ESCAPE.test(segment) ? segment.replaceAll("~", "~0").replaceAll("/", "~1") : segment;
}

const NEEDS_ESCAPE = /[~/]/;

/** Joins segments into a JSON pointer: `pointer("records", 3, "name")` is `/records/3/name`. */
export function pointer(...segments: Array<string | number>): string {
  // Built once per record of a bulk write, valid or not: a loop, not map and join.
  let out = "";
  for (const s of segments) out += `/${pointerSegment(s)}`;
  return out;
}
