import { AppError } from "@kehu/core";
import type { ImpactEntry } from "./impact-analysis";

/**
 * Throws `impact_refused` naming every dependant the change would break and that neither the batch fixes nor
 * `breaks` names; each issue says which key to add to `breaks` to break it on purpose.
 */
export function assertNoBlockingImpact(blocking: readonly ImpactEntry[]): void {
  if (!blocking.length) return;
  const keys = [...new Set(blocking.map((e) => e.key))];
  throw new AppError(
    "impact_refused",
    `The change would break ${keys.length} dependant(s): ${keys.join(", ")}. Change or remove them in the same batch, or name them in breaks to break them on purpose`,
    blocking.map((e) => ({ path: e.path, message: `${e.message} (to break it on purpose, add "${e.key}" to breaks)` })),
    { impact: blocking },
  );
}
