import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities, startTestEngine, type TestEngine } from "../../testing";
import { deployWorkflow } from "../deployments";
import { bpmnXml, chain, inputs } from "../test-bpmn";
import type { WorkflowRuntime } from "../workflow-runtime";

let engine: TestEngine;
let runtime: WorkflowRuntime;

async function deploy(key: string, tierField: string) {
  await deployWorkflow(
    engine.ctx.db.knex,
    { library: runtime.library, registry: engine.ctx.registry },
    {
      key,
      xml: bpmnXml(`<startEvent id="s"/>
        <serviceTask id="classify" camunda:type="external" camunda:topic="classifyPareto" camunda:resultVariable="tiers">
          ${inputs({ entity: "account", measure: "revenue", tierField, "tiers.a": "80", "tiers.b": "95", rest: "c" })}</serviceTask>
        <endEvent id="e"/>
        ${chain("s", "classify", "e")}`),
    },
    "test",
  );
}

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  await defineEntities(engine.ctx, [
    {
      name: "account",
      fields: [
        { name: "name", type: "text", required: true },
        { name: "revenue", type: "decimal", precision: 14, scale: 2 },
        { name: "tier", type: "enum", values: ["a", "b", "c"], default: "c" },
      ],
    },
  ]);
  await deploy("tiers", "tier");
  await deploy("tiers_on_name", "name");
});
afterAll(() => engine?.close());

const tiers = async () =>
  Object.fromEntries(
    (await engine.ctx.db.knex("data.account").select("name", "tier").orderBy("name")).map((r) => [r.name, r.tier]),
  );

describe("the classifyPareto service", () => {
  it("rewrites every record's tier by the 20/80 rule and reports what changed", async () => {
    const revenues = { A: "500", B: "200", C: "100", D: "100", E: "50", F: "50", G: "0", H: null };
    for (const [name, revenue] of Object.entries(revenues)) {
      const res = await engine.http("/api/data/account", { method: "POST", body: { name, revenue } });
      expect(res.status).toBe(201);
    }
    const run = await runtime.start("tiers", {}, { actor: "admin" });
    expect(run.status).toBe("completed");
    // total 1,000: C and D tie with 700 above (70%), E and F tie with 900 above (90%)
    expect(await tiers()).toEqual({ A: "a", B: "a", C: "a", D: "a", E: "b", F: "b", G: "c", H: "c" });
    const again = await runtime.start("tiers", {}, { actor: "admin" });
    const row = await engine.ctx.db.knex("kehu.wf_instances").where({ id: again.instanceId }).first("variables");
    expect(row.variables.tiers).toEqual({ total: 8, changed: 0, counts: { a: 4, b: 2, c: 2 } });
  });

  it("fails with a readable reason and writes nothing when the tier field is not an enum", async () => {
    const before = await tiers();
    const run = await runtime.start("tiers_on_name", {}, { actor: "admin" });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("account.name is not an enum field");
    expect(await tiers()).toEqual(before);
  });
});
