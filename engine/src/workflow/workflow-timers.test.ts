import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "./deployments";
import { bpmnXml, chain, inputs } from "./test-bpmn";
import { VirtualClock } from "./virtual-clock";
import type { WorkflowRuntime } from "./workflow-runtime";

let engine: TestEngine;
let runtime: WorkflowRuntime;
let clock: VirtualClock;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const deploy = (key: string, body: string) =>
  deployWorkflow(
    engine.ctx.db.knex,
    { library: runtime.library, registry: engine.ctx.registry },
    { key, xml: bpmnXml(body) },
    "test",
  );
const notify = (id: string, title: string) =>
  `<serviceTask id="${id}" camunda:type="external" camunda:topic="notify">${inputs({ to: "amy", title })}</serviceTask>`;
const notes = async (instanceId: string) =>
  (await engine.ctx.db.knex("kehu.wf_notifications").where({ instance_id: instanceId }).orderBy("created_at")).map(
    (n) => n.title,
  );
const status = async (id: string) => (await engine.ctx.db.knex("kehu.wf_instances").where({ id }).first()).status;
const openTask = (instanceId: string) =>
  engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: instanceId, status: "open" }).first();
const advance = async (ms: number) => {
  clock.advance(ms);
  return runtime.fireDueTimers();
};

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  // Ahead of the real time: bpmn-engine fires a date already past on the real clock at once.
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  runtime.clock = clock;
  await deploy(
    "follow_up",
    `<startEvent id="s"/><intermediateCatchEvent id="week"><timerEventDefinition><timeDuration>P7D</timeDuration></timerEventDefinition></intermediateCatchEvent>
     ${notify("call", "Call back")}<endEvent id="e"/>${chain("s", "week", "call", "e")}`,
  );
  await deploy(
    "sla",
    `<startEvent id="s"/><userTask id="answer" camunda:assignee="amy"/>
     <boundaryEvent id="late" attachedToRef="answer"><timerEventDefinition><timeDuration>PT24H</timeDuration></timerEventDefinition></boundaryEvent>
     ${notify("escalate", "SLA breached")}<endEvent id="answered"/><endEvent id="escalated"/>
     ${chain("s", "answer", "answered")}${chain("late", "escalate", "escalated")}`,
  );
  await deploy(
    "monthly",
    `<startEvent id="s"/><userTask id="contract" camunda:assignee="amy"/>
     <boundaryEvent id="cycle" attachedToRef="contract" cancelActivity="false"><timerEventDefinition><timeCycle>R3/P30D</timeCycle></timerEventDefinition></boundaryEvent>
     ${notify("bill", "Invoice")}<endEvent id="billed"/><endEvent id="closed"/>
     ${chain("s", "contract", "closed")}${chain("cycle", "bill", "billed")}`,
  );
  await deploy(
    "before_settlement",
    `<startEvent id="s"/><intermediateCatchEvent id="remind"><timerEventDefinition><timeDate>\${remindAt}</timeDate></timerEventDefinition></intermediateCatchEvent>
     ${notify("tell", "Settlement in 7 days")}<endEvent id="e"/>${chain("s", "remind", "tell", "e")}`,
  );
});
afterAll(() => engine?.close());

describe("durable timers on a virtual clock", () => {
  it("fires a 7-day wait when the clock passes it, not before", async () => {
    const { instanceId } = await runtime.start("follow_up", {}, { actor: "amy" });
    const timer = await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: instanceId }).first();
    expect(new Date(timer.due_at).toISOString()).toBe("2030-03-08T00:00:00.000Z");
    expect(await advance(6 * DAY)).toBe(0);
    expect(await status(instanceId)).toBe("waiting");
    expect(await advance(DAY)).toBe(1);
    expect(await status(instanceId)).toBe("completed");
    expect(await notes(instanceId)).toEqual(["Call back"]);
    expect(await runtime.fireTimer(timer.id)).toBe(false);
  });

  it("escalates a user task after its 24 h SLA, and a task done in time cancels the timer", async () => {
    const late = await runtime.start("sla", {}, { actor: "amy" });
    const onTime = await runtime.start("sla", {}, { actor: "amy" });
    const task = await openTask(onTime.instanceId);
    await runtime.signal(onTime.instanceId, { kind: "task", executionId: task.execution_id, output: {} }, "amy");
    const timers = await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: onTime.instanceId });
    expect(timers.map((t) => t.status)).toEqual(["cancelled"]);
    expect(await advance(23 * HOUR)).toBe(0);
    expect(await advance(HOUR)).toBe(1);
    expect(await status(late.instanceId)).toBe("completed");
    expect(await notes(late.instanceId)).toEqual(["SLA breached"]);
    expect(await openTask(late.instanceId)).toBeUndefined();
    expect(await notes(onTime.instanceId)).toEqual([]);
    expect(await runtime.fireTimer(timers[0].id)).toBe(false);
  });

  it("bills monthly on a non-interrupting cycle beyond the engine's 24.8-day limit while the task stays open", async () => {
    const { instanceId } = await runtime.start("monthly", {}, { actor: "amy" });
    for (let month = 0; month < 4; month++) await advance(30 * DAY);
    expect(await notes(instanceId)).toEqual(["Invoice", "Invoice", "Invoice"]);
    const task = await openTask(instanceId);
    expect(task.element_id).toBe("contract");
    await runtime.signal(instanceId, { kind: "task", executionId: task.execution_id, output: {} }, "amy");
    expect(await status(instanceId)).toBe("completed");
    const pending = await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: instanceId, status: "pending" });
    expect(pending).toEqual([]);
  });

  it("waits for a date computed by the host (7 days before settlement)", async () => {
    const settlement = new Date(clock.now().getTime() + 40 * DAY);
    const remindAt = new Date(settlement.getTime() - 7 * DAY).toISOString();
    const { instanceId } = await runtime.start("before_settlement", { remindAt }, { actor: "amy" });
    const timer = await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: instanceId }).first();
    expect(new Date(timer.due_at).toISOString()).toBe(remindAt);
    await advance(32 * DAY);
    expect(await status(instanceId)).toBe("waiting");
    await advance(DAY);
    expect(await notes(instanceId)).toEqual(["Settlement in 7 days"]);
  });

  it("fails the instance, instead of firing at once, when a timer's expression gives no value", async () => {
    const { instanceId, status: after } = await runtime.start("before_settlement", {}, { actor: "amy" });
    expect(after).toBe("failed");
    const row = await engine.ctx.db.knex("kehu.wf_instances").where({ id: instanceId }).first();
    expect(row.error).toBe(`remind: the timer's \${remindAt} gave no value (is a variable or field missing?)`);
    expect(await notes(instanceId)).toEqual([]);
    expect(await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: instanceId })).toEqual([]);
  });
});
