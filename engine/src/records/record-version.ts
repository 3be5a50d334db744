import { AppError } from "@kehu/core";

/** The version an `If-Match` header expects (`"3"`, `W/"3"` or `3`), or undefined when there is none. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!m)
    throw new AppError("bad_request", `If-Match must be a record version such as "3" (got ${JSON.stringify(ifMatch)})`);
  return Number(m[1]);
}

/** The ETag of a record version. */
export function etagOf(version: unknown): string {
  return `"${version}"`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path id could be a record id; anything else cannot exist and is a plain 404. */
export function isRecordId(id: string): boolean {
  return UUID.test(id);
}
