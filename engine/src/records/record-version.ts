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
