import { cronProblem } from "../jobs/cron-problem";

/**
 * Why a sync schedule is not a cron expression the job queue (pg-boss) can register, or undefined when it is.
 * Checked when a connection or mapping is saved: a schedule the job queue refuses would never run.
 */
export function scheduleProblem(cron: string): string | undefined {
  return cronProblem(cron);
}
