import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { type EngineRun, runEngine, type StepSignal } from "./run-engine";
import type { RuntimeDeps } from "./runtime-deps";
import { callService } from "./service-call";
import { projectTasks } from "./task-projection";
import { projectTimers } from "./timer-projection";
import type { InstanceRef } from "./workflow-service";

export interface StartOptions {
  businessKey?: string | null;
  entity?: string | null;
  recordId?: string | null;
  actor: string;
}

export interface StepOutcome {
  instanceId: string;
  status: string;
  applied: boolean;
  error?: string;
}

const refOf = (row: Record<string, unknown>): InstanceRef => ({
  id: row.id as string,
  key: row.key as string,
  version: row.version as number,
  startedBy: row.started_by as string,
  entity: (row.entity as string | null) ?? null,
  recordId: (row.record_id as string | null) ?? null,
});

/** Starts an instance of the latest version of `key` inside `trx` and runs it to its first wait. */
export async function createInstance(
  trx: Knex,
  deps: RuntimeDeps,
  key: string,
  variables: Record<string, unknown>,
  options: StartOptions,
): Promise<StepOutcome> {
  const deployment = await trx("kehu.wf_deployments").where({ key }).orderBy("version", "desc").first("version");
  if (!deployment) throw new AppError("not_found", `No workflow deployed under key "${key}"`);
  const [row] = await trx("kehu.wf_instances")
    .insert({
      key,
      version: deployment.version,
      status: "running",
      business_key: options.businessKey ?? null,
      entity: options.entity ?? null,
      record_id: options.recordId ?? null,
      variables: JSON.stringify(variables),
      started_by: options.actor,
      created_at: deps.clock.now(),
      updated_at: deps.clock.now(),
    })
    .returning("id");
  return advanceInstance(trx, deps, row.id, { kind: "start", variables }, options.actor);
}

async function run(trx: Knex, deps: RuntimeDeps, row: Record<string, unknown>, signal: StepSignal): Promise<EngineRun> {
  const instance = refOf(row);
  const settings = await deps.settings(trx);
  const source = await deps.sourceOf(trx, instance.key, instance.version);
  const startChild = (t: Knex, key: string, variables: Record<string, unknown>, businessKey?: string) =>
    createInstance(t, deps, key, variables, { businessKey, actor: `workflow:${instance.key}` }).then(
      (o) => o.instanceId,
    );
  return runEngine({
    instanceId: instance.id,
    xml: source.xml,
    sourceContext: source.context,
    state: row.state ?? null,
    signal,
    now: () => deps.clock.now(),
    scriptsEnabled: settings.scriptsEnabled,
    runService: (name, call) => callService(trx, deps, instance, name, call, startChild),
  });
}

// A failed step leaves nothing behind but the failure: its effects roll back with the savepoint.
class StepFailed extends Error {
  constructor(readonly run: EngineRun) {
    super(run.error);
  }
}

async function persist(trx: Knex, deps: RuntimeDeps, id: string, signal: StepSignal, result: EngineRun, actor: string) {
  const now = deps.clock.now();
  const ended = result.status === "completed";
  await trx("kehu.wf_instances")
    .where({ id })
    .update({
      status: result.status,
      state: JSON.stringify(result.state),
      variables: JSON.stringify(result.variables),
      active: JSON.stringify(result.active),
      error: null,
      failed_signal: null,
      revision: trx.raw("revision + 1"),
      updated_at: now,
      ended_at: ended ? now : null,
    });
  await projectTasks(trx, id, result.tasks, result.variables, () => deps.clock.now());
  const fired = signal.kind === "timer" ? signal.executionId : undefined;
  await deps.schedule(trx, await projectTimers(trx, id, result.timers, fired, now));
  const history = result.events.map((e) => ({
    instance_id: id,
    at: e.at,
    element_id: e.elementId,
    element_type: e.elementType,
    event: e.event,
    actor: e.event === "timeout" ? "timer" : actor,
  }));
  if (ended) history.push({ instance_id: id, at: now, element_id: "", element_type: "", event: "completed", actor });
  if (history.length) await trx("kehu.wf_history").insert(history);
}

/**
 * One step of an instance, in the caller's transaction: locks the instance row (two processes never advance the same
 * instance), recovers the engine from the stored state, applies the signal, runs to the next wait and stores state,
 * tasks, timers and history. A failure (a service error without an error boundary) rolls the step back and marks the
 * instance failed with the signal kept, so `retry` can run it again.
 */
export async function advanceInstance(
  trx: Knex,
  deps: RuntimeDeps,
  id: string,
  signal: StepSignal,
  actor: string,
): Promise<StepOutcome> {
  const row = await trx("kehu.wf_instances").where({ id }).forUpdate().first();
  if (!row) throw new AppError("not_found", `No workflow instance ${id}`);
  if (!["running", "waiting"].includes(row.status))
    throw new AppError("conflict", `The instance is ${row.status}`, [], { status: row.status });
  try {
    const outcome = await trx.transaction(async (sp) => {
      const result = await run(sp, deps, row, signal);
      if (!result.applied) return { instanceId: id, status: row.status, applied: false };
      if (result.status === "failed") throw new StepFailed(result);
      await persist(sp, deps, id, signal, result, actor);
      return { instanceId: id, status: result.status, applied: true };
    });
    return outcome;
  } catch (e) {
    if (!(e instanceof StepFailed)) throw e;
    await trx("kehu.wf_instances")
      .where({ id })
      .update({
        status: "failed",
        error: e.message,
        failed_signal: JSON.stringify(signal),
        updated_at: deps.clock.now(),
      });
    await trx("kehu.wf_history").insert({
      instance_id: id,
      at: deps.clock.now(),
      event: "failed",
      actor,
      detail: JSON.stringify({ error: e.message }),
    });
    return { instanceId: id, status: "failed", applied: true, error: e.message };
  }
}
