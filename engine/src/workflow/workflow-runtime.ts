import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { writeAudit } from "../security/audit-writer";
import type { Principal } from "../security/principal";
import { sourceContextOf } from "./bpmn-engine-facade";
import { camundaModdle } from "./camunda-moddle";
import { HotEngines } from "./hot-engines";
import { advanceInstance, createInstance, type StartOptions, type StepOutcome } from "./instance-steps";
import type { StepSignal } from "./run-engine";
import type { RuntimeDeps, WorkflowClock } from "./runtime-deps";
import { ServiceLibrary } from "./service-library";
import { drainAllStarts, drainStarts, type StartDrain } from "./start-outbox";
import type { ScheduledTimer } from "./timer-projection";
import { systemClock } from "./virtual-clock";
import { type WorkflowSettings, workflowSettings } from "./workflow-settings";

/** What the job queue does for the runtime, in the caller's transaction: wake new timers, run queued starts. */
export interface JobHooks {
  timers(trx: Knex, timers: ScheduledTimer[]): Promise<void>;
  starts(trx: Knex): Promise<void>;
}

/**
 * The workflow runtime of one engine process: starts instances, delivers task completions and timer fires, each as
 * one transaction holding the instance's row lock. Any number of processes may run one on the same database.
 */
export class WorkflowRuntime {
  readonly library = new ServiceLibrary();
  readonly hotEngines = new HotEngines();
  private readonly sources = new Map<string, Promise<{ xml: string; context: object | undefined }>>();
  private cachedSettings: { at: number; value: WorkflowSettings } | undefined;
  private jobs: JobHooks | undefined;

  constructor(
    readonly ctx: EngineContext,
    public clock: WorkflowClock = systemClock,
  ) {}

  /** Set by the job queue when it starts: new timers and queued starts then get a pg-boss job. */
  useJobs(jobs: JobHooks | undefined): void {
    this.jobs = jobs;
  }

  /** Asks the job queue (if one runs) to run the starts queued in `trx` once it commits. */
  async notifyStarts(trx: Knex): Promise<void> {
    await this.jobs?.starts(trx);
  }

  /** Runs up to 100 of the starts queued by record triggers (the minute sweep calls this; tests may too). */
  drainStarts(): Promise<StartDrain> {
    return drainStarts(this.ctx.db.knex, this.deps);
  }

  /** Runs every queued start that can run now, past any that fail (the job queue's wake-up calls this). */
  drainAllStarts(): Promise<StartDrain> {
    return drainAllStarts(this.ctx.db.knex, this.deps);
  }

  /** Starts the workflow of a schedule trigger (one pg-boss job per cron slot across all processes). */
  async startScheduled(triggerId: string): Promise<StepOutcome | undefined> {
    const t = await this.ctx.db
      .knex("kehu.wf_triggers")
      .where({ id: triggerId, kind: "schedule", enabled: true })
      .first();
    if (!t) return undefined;
    const variables = { ...t.variables, scheduledAt: this.clock.now().toISOString() };
    return this.start(t.key, variables, { actor: `schedule:${t.id}` });
  }

  get deps(): RuntimeDeps {
    return {
      ctx: this.ctx,
      library: this.library,
      clock: this.clock,
      sourceOf: (knex, key, version) => this.sourceOf(knex, key, version),
      settings: (knex) => this.settings(knex),
      schedule: async (trx, timers) => {
        if (timers.length && this.jobs) await this.jobs.timers(trx, timers);
      },
      hotEngines: this.hotEngines,
    };
  }

  private sourceOf(knex: Knex, key: string, version: number): Promise<{ xml: string; context: object | undefined }> {
    const id = `${key}@${version}`;
    let source = this.sources.get(id);
    if (!source) {
      source = (async () => {
        const row = await knex("kehu.wf_deployments").where({ key, version }).first("xml");
        if (!row) throw new AppError("not_found", `No deployment ${key} v${version}`);
        return { xml: row.xml as string, context: await sourceContextOf(row.xml, { camunda: camundaModdle }) };
      })();
      this.sources.set(id, source);
      source.catch(() => this.sources.delete(id));
    }
    return source;
  }

  // Settings change rarely; every process sees a change within a few seconds.
  private async settings(knex: Knex): Promise<WorkflowSettings> {
    const cached = this.cachedSettings;
    if (cached && Date.now() - cached.at < 5000) return cached.value;
    const value = await workflowSettings(knex);
    this.cachedSettings = { at: Date.now(), value };
    return value;
  }

  /** Forgets cached settings (after this process changed them). */
  forgetSettings(): void {
    this.cachedSettings = undefined;
  }

  start(key: string, variables: Record<string, unknown>, options: StartOptions, knex?: Knex): Promise<StepOutcome> {
    const run = (trx: Knex) => createInstance(trx, this.deps, key, variables, options);
    return knex ? run(knex) : this.ctx.db.knex.transaction(run);
  }

  signal(id: string, signal: StepSignal, actor: string, knex?: Knex): Promise<StepOutcome> {
    const run = (trx: Knex) => advanceInstance(trx, this.deps, id, signal, actor);
    return knex ? run(knex) : this.ctx.db.knex.transaction(run);
  }

  /** Fires one durable timer if it is still pending and due (else a no-op); true when it advanced its instance. */
  async fireTimer(timerId: string): Promise<boolean> {
    return this.ctx.db.knex.transaction(async (trx) => {
      const timer = await trx("kehu.wf_timers").where({ id: timerId }).first();
      if (timer?.status !== "pending") return false;
      const instance = await trx("kehu.wf_instances")
        .where({ id: timer.instance_id })
        .forUpdate()
        .first("*", trx.raw("xmin::text AS row_version"));
      const locked = await trx("kehu.wf_timers").where({ id: timerId }).forUpdate().first();
      if (locked.status !== "pending" || new Date(locked.due_at) > this.clock.now()) return false;
      if (!["running", "waiting"].includes(instance.status)) return false;
      const outcome = await advanceInstance(
        trx,
        this.deps,
        timer.instance_id,
        { kind: "timer", executionId: timer.execution_id },
        "timer",
        instance,
      );
      if (!outcome.applied) await trx("kehu.wf_timers").where({ id: timerId }).update({ status: "cancelled" });
      return outcome.applied;
    });
  }

  /** Fires every pending timer due on the runtime's clock, earliest first (also those that fall due meanwhile). */
  async fireDueTimers(): Promise<number> {
    let fired = 0;
    for (let round = 0; round < 10_000; round++) {
      const due = await this.ctx.db
        .knex("kehu.wf_timers")
        .where({ status: "pending" })
        .where("due_at", "<=", this.clock.now())
        .orderBy("due_at")
        .limit(100)
        .pluck("id");
      if (!due.length) break;
      let progressed = false;
      for (const id of due) if (await this.fireTimer(id)) fired++, (progressed = true);
      if (!progressed) break;
    }
    return fired;
  }

  /**
   * Cancels a running, waiting or failed instance: its open tasks and pending timers are cancelled too. With `by`,
   * the person doing it, the change is in the audit trail as well.
   */
  async cancel(id: string, actor: string, by?: Principal): Promise<void> {
    await this.ctx.db.knex.transaction(async (trx) => {
      const row = await trx("kehu.wf_instances").where({ id }).forUpdate().first("status");
      if (!row) throw new AppError("not_found", `No workflow instance ${id}`);
      if (!["running", "waiting", "failed"].includes(row.status))
        throw new AppError(
          "conflict",
          `The instance is ${row.status}; only running, waiting or failed ones can be cancelled`,
        );
      const now = this.clock.now();
      await trx("kehu.wf_instances")
        .where({ id })
        .update({ status: "cancelled", active: "[]", updated_at: now, ended_at: now });
      await trx("kehu.wf_tasks")
        .where({ instance_id: id, status: "open" })
        .update({ status: "cancelled", completed_at: now });
      await trx("kehu.wf_timers").where({ instance_id: id, status: "pending" }).update({ status: "cancelled" });
      await trx("kehu.wf_history").insert({ instance_id: id, at: now, event: "cancelled", actor });
      if (by) await auditInstance(trx, by, id, row.status, "cancelled");
    });
  }

  /** Runs the failed step of an instance again (after the cause is fixed): same signal, from the last good state. */
  async retry(id: string, actor: string, by?: Principal): Promise<StepOutcome> {
    return this.ctx.db.knex.transaction(async (trx) => {
      const row = await trx("kehu.wf_instances").where({ id }).forUpdate().first("status", "failed_signal", "state");
      if (!row) throw new AppError("not_found", `No workflow instance ${id}`);
      if (row.status !== "failed") throw new AppError("conflict", `The instance is ${row.status}, not failed`);
      const status = row.state ? "waiting" : "running";
      await trx("kehu.wf_instances").where({ id }).update({ status });
      await trx("kehu.wf_history").insert({ instance_id: id, at: this.clock.now(), event: "retried", actor });
      if (by) await auditInstance(trx, by, id, "failed", status);
      return advanceInstance(trx, this.deps, id, row.failed_signal ?? { kind: "resume" }, actor);
    });
  }
}

/** An administrator's (or starter's) action on an instance, as a row of the audit trail. */
async function auditInstance(trx: Knex, by: Principal, id: string, before: string, after: string): Promise<void> {
  await writeAudit(trx, {
    principal: by,
    entity: "workflow_instance",
    recordId: id,
    action: "update",
    changes: { status: { old: before, new: after } },
  });
}
