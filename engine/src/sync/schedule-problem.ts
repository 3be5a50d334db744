import { Cron } from "croner";

/**
 * Why a sync schedule is not a cron expression the job queue (pg-boss) can register, or undefined when it is.
 * Checked when a connection or mapping is saved: a schedule the job queue refuses would keep `kehu start` from
 * starting.
 */
export function scheduleProblem(cron: string): string | undefined {
  const parts = cron.trim().split(/\s+/).filter(Boolean);
  // pg-boss reads five fields, or six with seconds first; croner alone would also take a seventh (years).
  if (!cron.trim().startsWith("@") && (parts.length < 5 || parts.length > 6))
    return `must be a cron expression of five fields (six with seconds first), e.g. "*/15 * * * *"; got "${cron}"`;
  try {
    new Cron(cron, { paused: true }).stop();
    return undefined;
  } catch (e) {
    return `is not a valid cron expression: ${(e as Error).message}`;
  }
}
