import type { Knex } from "knex";
import { fromKnex, PgBoss } from "pg-boss";
import type { EngineContext } from "../engine-context";
import { drainQueuedPushes } from "../sync/queued-pushes";
import { runScheduledSync, type SyncSchedule, syncSchedules } from "../sync/run-scheduled-sync";
import { syncServicesOf } from "../sync/sync-services";
import type { ScheduledTimer } from "../workflow/timer-projection";
import type { WorkflowRuntime } from "../workflow/workflow-runtime";
import { pgliteBossDb } from "./pglite-boss-db";

export const TIMER_QUEUE = "kehu-workflow-timer";
export const SWEEP_QUEUE = "kehu-workflow-sweep";
export const START_QUEUE = "kehu-workflow-start";
export const CRON_QUEUE = "kehu-workflow-cron";
export const SYNC_QUEUE = "kehu-sync-scheduled";
export const PUSH_QUEUE = "kehu-sync-queued-push";

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
    for (const name of [TIMER_QUEUE, SWEEP_QUEUE, START_QUEUE, CRON_QUEUE, SYNC_QUEUE, PUSH_QUEUE])
      await boss.createQueue(name);
    const polling = { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1, batchSize: 10 };
    await boss.work<{ timerId: string }>(TIMER_QUEUE, polling, async (jobs) => {
      for (const job of jobs) await this.runtime.fireTimer(job.data.timerId);
    });
    await boss.work(SWEEP_QUEUE, polling, async () => {
      // Each part on its own: a start that keeps failing must not keep pushes and schedules from being swept.
      const parts: Array<[string, () => Promise<unknown>]> = [
        ["due timers", () => this.runtime.fireDueTimers()],
        ["queued starts", () => this.runtime.drainStarts()],
        ["queued pushes", () => drainQueuedPushes(syncServicesOf(this.ctx))], // wake-up lost, or claim expired
        ["schedules", () => this.syncSchedules()], // changed by any process: in force within a minute
      ];
      for (const [part, run] of parts)
        await run().catch((err) => this.ctx.logger.error({ err }, `sweep: ${part} failed`));
    });
    await boss.work(PUSH_QUEUE, { ...polling, batchSize: 1 }, async () => {
      await drainQueuedPushes(syncServicesOf(this.ctx));
    });
    await boss.work(START_QUEUE, polling, async () => {
      // One wake-up stands for every start its write queued (a bulk write: thousands), so drain until none is left;
      // a start that fails is recorded on its row and tried again by the sweep, never holding up those behind it.
      await this.runtime.drainAllStarts();
    });
    await boss.work<{ triggerId: string }>(CRON_QUEUE, polling, async (jobs) => {
      for (const job of jobs) await this.runtime.startScheduled(job.data.triggerId);
    });
    await boss.work<SyncSchedule>(SYNC_QUEUE, { ...polling, batchSize: 1 }, async ([job]) => {
      await runScheduledSync(syncServicesOf(this.ctx), job.data);
    });
    await boss.schedule(SWEEP_QUEUE, "* * * * *");
    this.boss = boss;
    await this.syncSchedules();
    this.runtime.useJobs({
      timers: (trx, timers) => this.sendTimers(trx, timers),
      starts: (trx) => this.sendStart(trx),
    });
    await this.runtime.fireDueTimers();
    await this.runtime.drainStarts();
  }

  /**
   * Makes pg-boss's cron schedules match the enabled workflow schedule triggers and the sync schedules of
   * connections and mappings (pg-boss runs each slot once cluster-wide).
   */
  async syncSchedules(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    const triggers = await this.ctx.db.knex("kehu.wf_triggers").where({ kind: "schedule", enabled: true });
    const wanted = new Set(triggers.map((t) => t.id as string));
    for (const s of await boss.getSchedules(CRON_QUEUE))
      if (s.key && !wanted.has(s.key)) await boss.unschedule(CRON_QUEUE, s.key);
    for (const t of triggers) await boss.schedule(CRON_QUEUE, t.cron, { triggerId: t.id }, { key: t.id, tz: "UTC" });
    const syncs = await syncSchedules(this.ctx.db.knex);
    const wantedSyncs = new Set(syncs.map((s) => s.key));
    for (const s of await boss.getSchedules(SYNC_QUEUE))
      if (s.key && !wantedSyncs.has(s.key)) await boss.unschedule(SYNC_QUEUE, s.key);
    // A schedule stored before schedules were checked may not parse: it is skipped (and logged), never keeping the
    // queue, and so `kehu start`, from starting or the other schedules from being registered.
    for (const s of syncs)
      await boss
        .schedule(SYNC_QUEUE, s.cron, s, { key: s.key, tz: "UTC" })
        .catch((err) => this.ctx.logger.error({ err, schedule: s.key, cron: s.cron }, "sync schedule not registered"));
  }

  /** Wakes a worker to push the records a workflow step queued (`syncPush`), once the step commits. */
  async wakeQueuedPushes(trx: Knex): Promise<void> {
    await this.boss?.send(PUSH_QUEUE, {}, { db: fromKnex(trx) } as never);
  }

  private async sendStart(trx: Knex): Promise<void> {
    await this.boss?.send(START_QUEUE, {}, { db: fromKnex(trx) } as never);
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
    this.runtime.useJobs(undefined);
    await boss.stop({ graceful: true, close: true, timeout: 5000 });
  }
}
