/** What a run did, record by record. */
export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  conflicts: number;
}

export const COUNT_NAMES = ["read", "created", "updated", "unchanged", "failed", "conflicts"] as const;

export function emptyCounts(): RunCounts {
  return { read: 0, created: 0, updated: 0, unchanged: 0, failed: 0, conflicts: 0 };
}

export function addCounts(into: RunCounts, more: RunCounts): RunCounts {
  for (const name of COUNT_NAMES) into[name] += more[name];
  return into;
}
