import { canSeeTask, TaskActions, type TaskActor } from "../task-actions";
import { parseAdvance } from "./advance-duration";
import { checkExpectations } from "./scenario-expectations";
import type { ScenarioStep } from "./scenario-file";
import { ScenarioError, type ScenarioWorld } from "./scenario-world";

type Values = Record<string, unknown>;

/** Runs one step through the engine's own paths (record store, runtime, task actions, timer firing). */
export async function runStep(world: ScenarioWorld, step: ScenarioStep): Promise<void> {
  const subject = step[step.kind];
  switch (step.kind) {
    case "create": {
      const entity = String(subject);
      const store = await world.storeFor(entity, await world.principal(step.as));
      const values = world.resolve((step.values as Values | undefined) ?? {});
      const record = await world.attempt(`create ${entity}`, () => store.create(values, String(step.as ?? "scenario")));
      if (step.ref !== undefined)
        world.records.set(String(step.ref).replace(/^\$/, ""), { entity, id: record.id as string });
      break;
    }
    case "update": {
      const target = world.record(subject);
      const store = await world.storeFor(target.entity, await world.principal(step.as));
      const values = world.resolve((step.values as Values | undefined) ?? {});
      await world.attempt(`update ${subject}`, () => store.update(target.id, values, undefined));
      break;
    }
    case "start": {
      const principal = await world.principal(step.as);
      const record = step.record === undefined ? undefined : world.record(step.record);
      const body = record ? await (await world.storeFor(record.entity, principal)).get(record.id) : undefined;
      const variables = {
        ...(world.scenarioVariables ?? {}),
        ...((step.variables as Values | undefined) ?? {}),
        ...(body && { record: body, initiator: principal.login }),
      };
      const outcome = await world.attempt(`start ${subject}`, () =>
        world.runtime.start(String(subject), variables, {
          actor: principal.login,
          entity: record?.entity,
          recordId: record?.id,
          businessKey: step.businessKey === undefined ? null : String(step.businessKey),
        }),
      );
      if (step.ref !== undefined) world.instances.set(String(step.ref).replace(/^\$/, ""), outcome.instanceId);
      break;
    }
    case "complete":
    case "claim":
    case "delegate": {
      const actor = await world.taskActor(step.as);
      const task = await findTask(world, String(subject), actor, step.instance);
      const actions = new TaskActions(world.runtime);
      const what = `${step.kind} ${subject}${step.as ? ` as ${step.as}` : ""}`;
      if (step.kind === "claim") await world.attempt(what, () => actions.claim(task.id, actor));
      else if (step.kind === "delegate") await world.attempt(what, () => actions.delegate(task.id, step.to, actor));
      else {
        const data = { ...((step.with as Values | undefined) ?? {}) };
        if (step.outcome !== undefined) data.outcome = step.outcome;
        const outcome = await world.attempt(what, () => actions.complete(task.id, data, actor));
        if (outcome.status === "failed") throw new ScenarioError(`${what}: the instance failed: ${outcome.error}`);
      }
      break;
    }
    case "advance": {
      const target = parseAdvance(world.clock.now(), String(subject));
      if (!target) throw new ScenarioError(`"${subject}" is not a duration`);
      await world.advanceTo(target);
      break;
    }
    case "expect":
      await checkExpectations(world, subject as Values);
      break;
  }
  await world.settle();
}

type TaskRow = Parameters<typeof canSeeTask>[0];

/** The open task a step means: by element id or name, in the named instance if any, among those the actor sees. */
async function findTask(world: ScenarioWorld, which: string, actor: TaskActor, instance: unknown): Promise<TaskRow> {
  const q = world.knex("kehu.wf_tasks").where({ status: "open" });
  if (instance !== undefined) q.where({ instance_id: await world.instance(instance) });
  const open: TaskRow[] = await q.orderBy("created_at");
  const named = open.filter((t) => t.element_id === which || t.name === which);
  if (!named.length) {
    const list = open.map((t) => `${t.element_id}${t.assignee ? ` (${t.assignee})` : ""}`).join(", ");
    throw new ScenarioError(`no open task "${which}" (open: ${list || "none"})`);
  }
  const pick = named.filter((t) => canSeeTask(t, actor));
  if (!pick.length) {
    const t = named[0];
    const holders = t.assignee ?? [...t.candidate_users, ...t.candidate_groups.map((g) => `role ${g}`)].join(", ");
    throw new ScenarioError(`task "${which}" is not for ${actor.principal.login} (it is for ${holders || "nobody"})`);
  }
  if (pick.length > 1 && new Set(pick.map((t) => t.instance_id)).size === 1) {
    const holders = pick.map((t) => t.assignee ?? "unassigned").join(", ");
    throw new ScenarioError(`${pick.length} open tasks "${which}" (${holders}); say which with as: the assignee`);
  }
  if (pick.length > 1)
    throw new ScenarioError(`${pick.length} open tasks "${which}"; say which with instance: $<record or instance>`);
  return pick[0];
}
