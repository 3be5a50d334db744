import { CronExpressionParser } from "cron-parser";
import { Cron } from "croner";

/**
 * Why a schedule is not a cron expression Kehu can keep, or undefined when it is. The job queue (pg-boss) registers
 * schedules with cron-parser and the scenario harness advances them with croner: an expression one of them refuses
 * (`15W`, `LW`, a seventh field) would save but never fire, so both must take it. The queue looks once a minute, so a
 * seconds field is refused too: it would fire once a minute, not when it says.
 */
export function cronProblem(cron: string): string | undefined {
  const text = cron.trim();
  if (!text) return 'must be a cron expression, e.g. "*/15 * * * *"';
  if (!text.startsWith("@") && text.split(/\s+/).length !== 5)
    return `must be a cron expression of five fields: minute hour day-of-month month day-of-week (no seconds), e.g. "*/15 * * * *"; got "${cron}"`;
  try {
    CronExpressionParser.parse(text, { tz: "UTC", strict: false });
    new Cron(text, { paused: true }).stop();
    return undefined;
  } catch (e) {
    return `is not a cron expression the scheduler can run: ${(e as Error).message}`;
  }
}
