import type { RunCounts } from "../sync/run-counts";

/** A run's counts as the CLI prints them: `read 3 · created 3 · … · conflicts 0`, `skipped` only when some were. */
export function runCountsText(c: RunCounts, separator = " · "): string {
  const parts = [
    `read ${c.read}`,
    `created ${c.created}`,
    `updated ${c.updated}`,
    `unchanged ${c.unchanged}`,
    `failed ${c.failed}`,
    `conflicts ${c.conflicts}`,
  ];
  if (c.skipped) parts.push(`skipped ${c.skipped}`);
  return parts.join(separator);
}
