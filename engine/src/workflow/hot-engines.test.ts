import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "./deployments";
import { bpmnXml, chain } from "./test-bpmn";
import { WorkflowRuntime } from "./workflow-runtime";

// Two runtimes on one database stand for two processes: each keeps its own engines left waiting after its steps.
let engine: TestEngine;
let here: WorkflowRuntime;
let elsewhere: WorkflowRuntime;

const openTask = (instanceId: string, elementId: string) =>
  engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: instanceId, element_id: elementId, status: "open" }).first();

async function complete(runtime: WorkflowRuntime, instanceId: string, elementId: string, output = {}) {
  const task = await openTask(instanceId, elementId);
  return runtime.signal(instanceId, { kind: "task", executionId: task.execution_id, output }, "amy");
}

beforeAll(async () => {
  engine = await startTestEngine();
  here = engine.ctx.workflows!;
  elsewhere = new WorkflowRuntime(engine.ctx);
  await deployWorkflow(
    engine.ctx.db.knex,
    { library: here.library, registry: engine.ctx.registry },
    {
      key: "two_steps",
      xml: bpmnXml(
        `<startEvent id="s"/><userTask id="first"/><userTask id="second"/><endEvent id="e"/>${chain("s", "first", "second", "e")}`,
      ),
    },
    "test",
  );
  await deployWorkflow(
    engine.ctx.db.knex,
    { library: here.library, registry: engine.ctx.registry },
    {
      key: "review_sla",
      xml: bpmnXml(
        `<startEvent id="s"/><userTask id="review"/><endEvent id="e"/>${chain("s", "review", "e")}
         <boundaryEvent id="late" attachedToRef="review"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></boundaryEvent>
         <userTask id="escalated"/><endEvent id="e2"/>${chain("late", "escalated", "e2")}`,
      ),
    },
    "test",
  );
});
afterAll(() => engine?.close());

describe("engines a process keeps waiting between steps", () => {
  it("continue an instance this process advanced last, step after step, to the end", async () => {
    const { instanceId } = await here.start("two_steps", {}, { actor: "amy" });
    await complete(here, instanceId, "first", { amount: 1 });
    const last = await complete(here, instanceId, "second");
    expect(last.status).toBe("completed");
    const row = await engine.ctx.db.knex("kehu.wf_instances").where({ id: instanceId }).first();
    expect(row.variables.amount).toBe(1);
    const tasks = await engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: instanceId }).pluck("status");
    expect(tasks).toHaveLength(2);
    expect(tasks).not.toContain("open");
  });

  it("are not used once another process advanced the instance: the step recovers the stored state", async () => {
    const { instanceId } = await here.start("two_steps", {}, { actor: "amy" });
    await complete(elsewhere, instanceId, "first", { amount: 2 });
    const last = await complete(here, instanceId, "second");
    expect(last.status).toBe("completed");
    const row = await engine.ctx.db.knex("kehu.wf_instances").where({ id: instanceId }).first();
    expect(row.variables.amount).toBe(2);
  });

  it("are not used after their step was rolled back, even when another process wrote the same revision", async () => {
    const { instanceId } = await here.start("two_steps", {}, { actor: "amy" });
    await expect(
      engine.ctx.db.knex.transaction(async (trx) => {
        const task = await trx("kehu.wf_tasks").where({ instance_id: instanceId, status: "open" }).first();
        await here.signal(
          instanceId,
          { kind: "task", executionId: task.execution_id, output: { amount: 1 } },
          "amy",
          trx,
        );
        throw new Error("the caller's transaction fails after the step");
      }),
    ).rejects.toThrow("fails after the step");
    await complete(elsewhere, instanceId, "first", { amount: 2 });
    const last = await complete(here, instanceId, "second");
    expect(last.status).toBe("completed");
    const row = await engine.ctx.db.knex("kehu.wf_instances").where({ id: instanceId }).first();
    expect(row.variables.amount).toBe(2);
  });

  it("are not used once one of their timers is due: a late completion is refused, as on a recovered engine", async () => {
    const { instanceId } = await here.start("review_sla", {}, { actor: "amy" });
    // The timer job has not run yet (no job worker in this test): the completion arrives after the due time.
    await new Promise((r) => setTimeout(r, 1_100));
    await expect(complete(here, instanceId, "review")).rejects.toThrow("no longer waiting");
    // Refused and rolled back whole: the review stays open until the timer job escalates it.
    expect(await openTask(instanceId, "review")).toBeDefined();
  });
});
