import { AppError, isUuid } from "@kehu/core";

/**
 * Readers of a list route's query parameters. A value that cannot be used is refused as a 400 naming the parameter
 * (`/limit`, `/run`, …) and what it accepts, before any SQL runs: a database never sees `limit=-5` or `run=abc`.
 */
const refuse = (name: string, message: string): never => {
  throw new AppError("bad_request", `${name} ${message}`, [{ path: `/${name}`, message }]);
};

/** `limit`: a whole number from 1 to `max`; `fallback` when absent or empty. */
export function limitParam(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    refuse("limit", `must be a whole number from 1 to ${max}`);
  return Number(raw);
}

/** An id parameter that must be a UUID (a run, a record). */
export function uuidParam(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  const text: string = raw;
  if (!isUuid(raw)) refuse(name, `must be an id (a UUID), not "${text.slice(0, 60)}"`);
  return text;
}

/** A parameter taking one of a few words (a status, an outcome, a direction). */
export function enumParam<T extends string>(
  name: string,
  raw: string | undefined,
  values: readonly T[],
): T | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!values.includes(raw as T)) refuse(name, `must be one of ${values.join(", ")}`);
  return raw as T;
}

/** `before`: the `nextCursor` of the page before (a row id, newest first). */
export function cursorParam(raw: string | undefined, name = "before"): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{1,18}$/.test(raw)) refuse(name, "must be the nextCursor of the page before");
  return raw;
}
