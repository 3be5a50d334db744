import { AppError } from "@kehu/core";

/** A sync list's `limit` query parameter: absent means `fallback`; anything but an integer 1..max is refused. */
export function syncListLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (n >= 1 && n <= max) return n;
  const message = `limit must be an integer from 1 to ${max}`;
  throw new AppError("bad_request", message, [{ path: "/limit", message }]);
}

/** A sync list's `status` query parameter: one of the statuses its rows can have, or absent. */
export function syncListStatus(raw: string | undefined, statuses: readonly string[]): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (statuses.includes(raw)) return raw;
  const message = `status must be one of ${statuses.join(", ")}`;
  throw new AppError("bad_request", message, [{ path: "/status", message }]);
}

/** A sync list's `run` query parameter: a run id (a uuid), or absent. */
export function syncListRun(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) return raw;
  const message = "run must be the id of a sync run (a uuid)";
  throw new AppError("bad_request", message, [{ path: "/run", message }]);
}
