/**
 * What a run did, record by record: each record read is created, updated, unchanged, failed, skipped (left out by
 * the mapping's filter, or its Kehu record deleted) or waits as a manual conflict. `conflicts` also counts those a
 * rule settled (they count as updated or unchanged too).
 */
export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  conflicts: number;
  skipped: number;
}

export const COUNT_NAMES = ["read", "created", "updated", "unchanged", "failed", "conflicts", "skipped"] as const;

export function emptyCounts(): RunCounts {
  return { read: 0, created: 0, updated: 0, unchanged: 0, failed: 0, conflicts: 0, skipped: 0 };
}

export function addCounts(into: RunCounts, more: RunCounts): RunCounts {
  for (const name of COUNT_NAMES) into[name] += more[name];
  return into;
}
