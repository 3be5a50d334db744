/** Escapes one segment of a JSON pointer (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Joins segments into a JSON pointer: `pointer("records", 3, "name")` is `/records/3/name`. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${pointerSegment(s)}`).join("");
}
