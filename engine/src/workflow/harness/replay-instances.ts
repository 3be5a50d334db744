import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { createEngine } from "../../create-engine";
import { createLogger } from "../../logger";
import { rowToRecord } from "../../records/record-codec";
import { RecordStore } from "../../records/record-store";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import { entityTableRef } from "../../storage/identifiers";
import { TaskActions } from "../task-actions";
import { VirtualClock } from "../virtual-clock";
import type { WorkflowRuntime } from "../workflow-runtime";
import { installAppPackage } from "./install-package";
import { prepareScenarioDatabases, type ScenarioBackend } from "./scenario-databases";
import { DEFAULT_SCENARIO_CLOCK } from "./scenario-file";

/** What a real instance was given and did: its start variables (inputs), its record, and its task completions and timer fires. */
export interface RealInstance {
  id: string;
  version: number;
  variables: Record<string, unknown>;
  entity: string | null;
  record: Record<string, unknown> | null;
  events: Array<
    { kind: "task"; elementId: string; data: Record<string, unknown> } | { kind: "timer"; elementId: string }
  >;
  path: string[];
}

/** How a replay went: the real path, the new one, and where they part (undefined when they do not). */
export interface ReplayResult {
  instanceId: string;
  version: number;
  realPath: string[];
  newPath: string[];
  differsAt?: number;
  note?: string;
}

const pathOf = (knex: Knex, instanceId: string): Promise<string[]> =>
  knex("kehu.wf_history").where({ instance_id: instanceId, event: "end" }).orderBy("id").pluck("element_id");

/** The last `n` instances of `key` (newest first) with what they were given and what people and timers did. */
export async function readRealInstances(
  knex: Knex,
  entityOf: (name: string) => EntityDefinition | undefined,
  key: string,
  n: number,
): Promise<RealInstance[]> {
  const rows = await knex("kehu.wf_instances").where({ key }).orderBy("created_at", "desc").limit(n);
  const out: RealInstance[] = [];
  for (const row of rows) {
    const tasks = await knex("kehu.wf_tasks")
      .where({ instance_id: row.id, status: "completed" })
      .select("element_id", "data", "completed_at");
    const timers = await knex("kehu.wf_timers")
      .where({ instance_id: row.id, status: "fired" })
      .select("element_id", "fired_at");
    const events = [
      ...tasks.map((t) => ({
        at: new Date(t.completed_at).getTime(),
        kind: "task" as const,
        elementId: t.element_id,
        data: t.data ?? {},
      })),
      ...timers.map((t) => ({ at: new Date(t.fired_at).getTime(), kind: "timer" as const, elementId: t.element_id })),
    ].sort((a, b) => a.at - b.at);
    const entity = row.entity ? entityOf(row.entity) : undefined;
    const stored =
      entity && row.record_id
        ? await knex(entityTableRef(entity.name)).where({ id: row.record_id }).first()
        : undefined;
    const record = entity && stored ? rowToRecord(entity, stored) : null;
    out.push({
      id: row.id,
      version: row.version,
      // Instances from before inputs were kept have only their final variables.
      variables: row.inputs ?? row.variables ?? {},
      entity: row.entity ?? null,
      record,
      events: events.map(({ at: _, ...e }) => e),
      path: await pathOf(knex, row.id),
    });
  }
  return out;
}

/**
 * Re-runs the package's current XML of `key` against real instances' inputs, each on a fresh database: the record
 * (its own plain fields; references and computed fields left out) and the variables they were started with, then the same task
 * completions (same data) and timer fires in the same order. Reports where the path of completed elements differs.
 */
export async function replayInstances(
  root: string,
  key: string,
  real: RealInstance[],
  backend: ScenarioBackend,
): Promise<ReplayResult[]> {
  const databases = await prepareScenarioDatabases(backend, async (db) => {
    const engine = await createEngine({ ...db, close: async () => {} }, createLogger("silent"));
    await installAppPackage(engine.ctx, root, "replay");
  });
  const results: ReplayResult[] = [];
  try {
    for (const instance of real) {
      const engine = await createEngine(await databases.fresh(), createLogger("silent"));
      try {
        const { path, note } = await replayOne(engine.ctx.workflows as WorkflowRuntime, key, instance);
        const differsAt = firstDifference(instance.path, path);
        results.push({
          instanceId: instance.id,
          version: instance.version,
          realPath: instance.path,
          newPath: path,
          differsAt,
          note,
        });
      } finally {
        await engine.close();
      }
    }
  } finally {
    await databases.close();
  }
  return results;
}

function firstDifference(a: string[], b: string[]): number | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return undefined;
}

const COMPUTED = new Set(["formula", "rollup", "autonumber", "reference"]);

async function replayOne(
  runtime: WorkflowRuntime,
  key: string,
  real: RealInstance,
): Promise<{ path: string[]; note?: string }> {
  const ctx = runtime.ctx;
  const knex = ctx.db.knex;
  runtime.clock = new VirtualClock(DEFAULT_SCENARIO_CLOCK);
  const clock = runtime.clock as VirtualClock;
  let variables = real.variables;
  let recordId: string | undefined;
  const definition = real.entity ? ctx.registry.get(real.entity) : undefined;
  if (real.record && definition) {
    const values = Object.fromEntries(
      definition.fields
        .filter((f) => !COMPUTED.has(f.type) && real.record?.[f.name] !== undefined && real.record?.[f.name] !== null)
        .map((f) => [f.name, real.record?.[f.name]]),
    );
    const created = await new RecordStore(knex, definition).create(values, "replay");
    recordId = created.id as string;
    variables = { ...variables, record: created };
  }
  let instanceId: string;
  try {
    instanceId = (
      await runtime.start(key, variables, { actor: "replay", entity: real.entity, recordId: recordId ?? null })
    ).instanceId;
  } catch (e) {
    return { path: [], note: `cannot start: ${(e as Error).message}` };
  }
  const actor = { principal: { ...SYSTEM_PRINCIPAL, channel: "api" as const }, roles: [] };
  const actions = new TaskActions(runtime);
  for (const event of real.events) {
    if (event.kind === "task") {
      const task = await knex("kehu.wf_tasks")
        .where({ instance_id: instanceId, status: "open", element_id: event.elementId })
        .first("id");
      if (!task)
        return {
          path: await pathOf(knex, instanceId),
          note: await stuck(knex, instanceId, `task "${event.elementId}"`),
        };
      try {
        await actions.complete(task.id, event.data, actor);
      } catch (e) {
        return {
          path: await pathOf(knex, instanceId),
          note: `completing "${event.elementId}" was refused: ${(e as Error).message}`,
        };
      }
    } else {
      const timer = await knex("kehu.wf_timers")
        .where({ instance_id: instanceId, status: "pending", element_id: event.elementId })
        .first("id", "due_at");
      if (!timer)
        return {
          path: await pathOf(knex, instanceId),
          note: await stuck(knex, instanceId, `timer "${event.elementId}"`),
        };
      const due = new Date(timer.due_at).getTime();
      if (due > clock.now().getTime()) clock.advance(due - clock.now().getTime());
      await runtime.fireTimer(timer.id);
    }
  }
  return { path: await pathOf(knex, instanceId) };
}

async function stuck(knex: Knex, instanceId: string, what: string): Promise<string> {
  const row = await knex("kehu.wf_instances").where({ id: instanceId }).first("status", "active");
  return `the new version has no ${what} waiting (instance ${row.status}${row.active.length ? `, at ${row.active.join(", ")}` : ""})`;
}
