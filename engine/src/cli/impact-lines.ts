import type { ImpactEntry } from "../metadata/impact-analysis";

/**
 * The dependants a change breaks or would break, one line each with the key to name in `--breaks`:
 * `✗` refuses the change until fixed or named, `~` is broken on purpose. Fixed ones are left out.
 */
export function impactLines(impact: readonly ImpactEntry[]): string[] {
  return impact
    .filter((e) => e.resolution !== "fixed")
    .map((e) => `  ${e.resolution === "blocking" ? "✗" : "~"} ${e.message} [${e.resolution}: ${e.key}]`);
}
