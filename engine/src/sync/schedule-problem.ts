import { Cron } from "croner";

/**
 * Why a sync schedule is not a cron expression the job queue (pg-boss) can register, or undefined when it is.
 * Checked when a connection or mapping is saved: a schedule the job queue refuses would keep `kehu start` from
 * starting.
 */
export function scheduleProblem(cron: string): string | undefined {
  const parts = cron.trim().split(/\s+/).filter(Boolean);
  // The job queue checks schedules once a minute: a seconds field would fire once a minute, not when it says
  // (croner alone would also take a seventh field, years).
  if (!cron.trim().startsWith("@") && parts.length !== 5)
    return `must be a cron expression of five fields: minute hour day-of-month month day-of-week (no seconds), e.g. "*/15 * * * *"; got "${cron}"`;
  try {
    new Cron(cron, { paused: true }).stop();
    return undefined;
  } catch (e) {
    return `is not a valid cron expression: ${(e as Error).message}`;
  }
}
