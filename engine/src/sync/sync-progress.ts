import type { RunCounts } from "./run-counts";

/** A progress event: after every committed page, with the run's totals so far. */
export interface SyncProgress {
  runId: string;
  stream: string;
  direction: "pull" | "push";
  page: number;
  counts: RunCounts;
}
