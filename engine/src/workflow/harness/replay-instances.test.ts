import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing";
import { deployWorkflow } from "../deployments";
import { bpmnXml, chain, inputs } from "../test-bpmn";
import { readRealInstances } from "./replay-instances";

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine?.close());

describe("replaying real instances", () => {
  it("starts from the variables an instance was started with, not the ones it ended with", async () => {
    const runtime = engine.ctx.workflows!;
    // The service overwrites the start variable `level`, and the task's form data adds `outcome`.
    await deployWorkflow(
      engine.ctx.db.knex,
      { library: runtime.library, registry: engine.ctx.registry },
      {
        key: "escalating",
        xml: bpmnXml(`<startEvent id="s"/>
          <serviceTask id="bump" camunda:type="external" camunda:topic="notify" camunda:resultVariable="level">
            ${inputs({ to: "amy", title: "bumped" })}</serviceTask>
          <userTask id="check" camunda:assignee="amy"/><endEvent id="e"/>${chain("s", "bump", "check", "e")}`),
      },
      "test",
    );
    const { instanceId } = await runtime.start("escalating", { level: 1, region: "east" }, { actor: "amy" });
    const task = await engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: instanceId }).first("execution_id");
    const output = { outcome: "approve" };
    await runtime.signal(instanceId, { kind: "task", executionId: task.execution_id, output }, "amy");
    const stored = await engine.ctx.db.knex("kehu.wf_instances").where({ id: instanceId }).first("variables");
    expect(stored.variables).toMatchObject({ region: "east", outcome: "approve" });
    expect(stored.variables.level).not.toBe(1);

    const [real] = await readRealInstances(engine.ctx.db.knex, () => undefined, "escalating", 1);
    expect(real.variables).toEqual({ level: 1, region: "east" });
  });
});
