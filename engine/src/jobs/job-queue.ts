import type { Knex } from "knex";
import { fromKnex, PgBoss } from "pg-boss";
import type { EngineContext } from "../engine-context";
import type { ScheduledTimer } from "../workflow/timer-projection";
import type { WorkflowRuntime } from "../workflow/workflow-runtime";
import { pgliteBossDb } from "./pglite-boss-db";

export const TIMER_QUEUE = "kehu-workflow-timer";
export const SWEEP_QUEUE = "kehu-workflow-sweep";

export interface JobQueueOptions {
  /** How often idle workers look for jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
}

function connectionStringOf(knex: Knex): string {
  const conn = knex.client.config.connection as { connectionString?: string } | string;
  return typeof conn === "string" ? conn : (conn.connectionString ?? "");
}

/**
 * The engine's background jobs on pg-boss (schema `pgboss`): durable workflow timers (a job per timer at its due time,
 * sent in the transaction of the step that set the timer) and a sweep every minute that fires any due timer whose job
 * was lost. On PostgreSQL pg-boss has its own pool; on PGlite it runs over the engine's single connection.
 */
export class JobQueue {
  private boss: PgBoss | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly runtime: WorkflowRuntime,
    private readonly options: JobQueueOptions = {},
  ) {}

  get running(): boolean {
    return this.boss !== undefined;
  }

  async start(): Promise<void> {
    if (this.boss) return;
    const { db } = this.ctx;
    const boss =
      db.backend === "postgres"
        ? new PgBoss({ connectionString: connectionStringOf(db.knex), schema: "pgboss", max: 4 })
        : new PgBoss({ db: pgliteBossDb(db.knex), schema: "pgboss", backend: "pglite" } as ConstructorParameters<
            typeof PgBoss
          >[0]);
    boss.on("error", (e) => this.ctx.logger.error({ err: e }, "job queue error"));
    await boss.start();
    for (const name of [TIMER_QUEUE, SWEEP_QUEUE]) await boss.createQueue(name);
    const polling = { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1, batchSize: 10 };
    await boss.work<{ timerId: string }>(TIMER_QUEUE, polling, async (jobs) => {
      for (const job of jobs) await this.runtime.fireTimer(job.data.timerId);
    });
    await boss.work(SWEEP_QUEUE, polling, async () => {
      await this.runtime.fireDueTimers();
    });
    await boss.schedule(SWEEP_QUEUE, "* * * * *");
    this.boss = boss;
    this.runtime.useScheduler((trx, timers) => this.sendTimers(trx, timers));
    await this.runtime.fireDueTimers();
  }

  /** Sends the wake-up jobs of new timers in the step's own transaction: the timer and its job commit together. */
  private async sendTimers(trx: Knex, timers: ScheduledTimer[]): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    for (const t of timers)
      await boss.send(TIMER_QUEUE, { timerId: t.id }, { startAfter: t.due, db: fromKnex(trx) } as never);
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
    this.runtime.useScheduler(undefined);
    await boss.stop({ graceful: true, close: true, timeout: 5000 });
  }
}
