import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { splitDependentKeys } from "../metadata/dependent-keys";

/** The options of a metadata change from its query: `?dryRun=1&confirm=1&breaks=formula:contract.total,...`. */
export interface MetaChangeFlags {
  dryRun: boolean;
  confirm: boolean;
  breaks: string[];
}

const KEY = /^[a-z_]+:\S+$/;

/**
 * Reads `dryRun`, `confirm` and `breaks` (repeated or comma-separated, plus a body's `breaks` list when given);
 * a `breaks` entry that is not `kind:id` is refused naming it.
 */
export function metaChangeFlags(c: Context, bodyBreaks?: unknown): MetaChangeFlags {
  const on = (key: string) => ["1", "true", "yes"].includes((c.req.query(key) ?? "").toLowerCase());
  const fromQuery = (c.req.queries("breaks") ?? []).flatMap(splitDependentKeys);
  if (bodyBreaks !== undefined && !(Array.isArray(bodyBreaks) && bodyBreaks.every((b) => typeof b === "string")))
    throw new AppError("validation_failed", "breaks must be a list of dependant keys", [
      { path: "/breaks", message: 'must be a list like ["formula:contract.total"]' },
    ]);
  const breaks = [...fromQuery, ...((bodyBreaks as string[] | undefined) ?? [])].map((b) => b.trim()).filter(Boolean);
  const bad = breaks.filter((b) => !KEY.test(b));
  if (bad.length)
    throw new AppError(
      "bad_request",
      `breaks names dependants as kind:id (like formula:contract.total); not ${bad.map((b) => `"${b}"`).join(", ")}`,
      bad.map((b) => ({ path: "/breaks", message: `"${b}" is not kind:id` })),
    );
  return { dryRun: on("dryRun"), confirm: on("confirm"), breaks: [...new Set(breaks)] };
}
