import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { preparedName } from "./prepared-name";
import { type EngineRun, type HotEngine, runEngine, type StepSignal } from "./run-engine";
import type { RuntimeDeps } from "./runtime-deps";
import { callService } from "./service-call";
import { StepEffects } from "./step-effects";
import { StepSavepoints } from "./step-savepoints";
import { writeStep } from "./step-writes";
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
  /** The user tasks waiting after an applied step (their inbox rows are open), so a caller need not read them back. */
  tasks?: Array<{ executionId: string; elementId: string }>;
}

const refOf = (row: Record<string, unknown>): InstanceRef => ({
  id: row.id as string,
  key: row.key as string,
  version: row.version as number,
  startedBy: row.started_by as string,
  entity: (row.entity as string | null) ?? null,
  recordId: (row.record_id as string | null) ?? null,
});

// What a step reads of its instance row, named: a prepared statement's result columns must not change when a later
// release adds a column to the table (PostgreSQL refuses to run it then), as `*` would.
const STEP_COLUMNS =
  "id, key, version, status, started_by, entity, record_id, state, revision, xmin::text AS row_version";

const INSERT_INSTANCE = `INSERT INTO kehu.wf_instances (key, version, status, business_key, entity, record_id,
    variables, inputs, started_by, created_at, updated_at)
  SELECT :key, max(version), 'running', :businessKey, :entity, CAST(:recordId AS uuid),
    CAST(:variables AS jsonb), CAST(:variables AS jsonb), :actor, CAST(:now AS timestamptz), CAST(:now AS timestamptz)
  FROM kehu.wf_deployments WHERE key = :key HAVING max(version) IS NOT NULL
  RETURNING ${STEP_COLUMNS}`;

const LOCK_INSTANCE = `SELECT ${STEP_COLUMNS} FROM kehu.wf_instances WHERE id = :id FOR UPDATE`;

/**
 * Starts an instance of the latest version of `key` inside `trx` and runs it to its first wait. The start variables
 * are kept apart as the instance's inputs (its `variables` change as it runs), for replays.
 */
export async function createInstance(
  trx: Knex,
  deps: RuntimeDeps,
  key: string,
  variables: Record<string, unknown>,
  options: StartOptions,
): Promise<StepOutcome> {
  const now = deps.clock.now();
  const { rows } = await trx
    .raw(INSERT_INSTANCE, {
      key,
      businessKey: options.businessKey ?? null,
      entity: options.entity ?? null,
      recordId: options.recordId ?? null,
      variables: JSON.stringify(variables),
      actor: options.actor,
      now,
    })
    .options({ name: preparedName(INSERT_INSTANCE) });
  if (!rows.length) throw new AppError("not_found", `No workflow deployed under key "${key}"`);
  // Inserted in this transaction: no other one sees the row, so it needs no lock and has no stored effects yet.
  return stepLocked(trx, deps, rows[0], { kind: "start", variables }, options.actor, true);
}

async function run(
  trx: Knex,
  deps: RuntimeDeps,
  row: Record<string, unknown>,
  signal: StepSignal,
  fresh: boolean,
  savepoints: StepSavepoints,
  effects: StepEffects,
  hot: HotEngine | undefined,
): Promise<EngineRun> {
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
    hot,
    signal,
    now: () => deps.clock.now(),
    scriptsEnabled: settings.scriptsEnabled,
    runService: (name, call) =>
      callService(
        trx,
        deps,
        instance,
        name,
        call,
        startChild,
        (work) => savepoints.around(work),
        (owed) => effects.owe(owed.table, owed.rows),
        fresh,
      ),
  });
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
  locked?: Record<string, unknown>,
): Promise<StepOutcome> {
  const row = locked ?? (await trx.raw(LOCK_INSTANCE, { id }).options({ name: preparedName(LOCK_INSTANCE) })).rows[0];
  if (!row) throw new AppError("not_found", `No workflow instance ${id}`);
  return stepLocked(trx, deps, row, signal, actor, false);
}

async function stepLocked(
  trx: Knex,
  deps: RuntimeDeps,
  row: Record<string, unknown>,
  signal: StepSignal,
  actor: string,
  fresh: boolean,
): Promise<StepOutcome> {
  const id = row.id as string;
  const status = row.status as string;
  if (!["running", "waiting"].includes(status))
    throw new AppError("conflict", `The instance is ${status}`, [], { status });
  const effects = new StepEffects();
  const savepoints = new StepSavepoints(trx, effects);
  const undo = () => savepoints.undoStep();
  let result: EngineRun;
  try {
    // Taken out before the run: a step that fails or is rolled back leaves no engine behind.
    const hot = fresh ? undefined : deps.hotEngines?.take(id, row);
    result = await run(trx, deps, row, signal, fresh, savepoints, effects, hot);
  } catch (e) {
    await undo();
    throw e;
  }
  if (!result.applied) {
    await undo();
    return { instanceId: id, status, applied: false };
  }
  if (result.status === "failed") {
    await undo();
    const now = deps.clock.now();
    await trx("kehu.wf_instances")
      .where({ id })
      .update({ status: "failed", error: result.error, failed_signal: JSON.stringify(signal), updated_at: now });
    await trx("kehu.wf_history").insert({
      instance_id: id,
      at: now,
      element_id: result.failedAt?.elementId ?? null,
      element_type: result.failedAt?.elementType ?? null,
      event: "failed",
      actor,
      detail: JSON.stringify({ error: result.error }),
    });
    return { instanceId: id, status: "failed", applied: true, error: result.error };
  }
  const now = deps.clock.now();
  const written = await writeStep(trx, id, signal, result, effects.take(), actor, now);
  if (result.hot) deps.hotEngines?.put(id, result.hot, written.revision, written.version);
  await deps.schedule(trx, written.timers);
  const tasks = result.tasks.map((t) => ({ executionId: t.executionId, elementId: t.elementId }));
  return { instanceId: id, status: result.status, applied: true, tasks };
}
