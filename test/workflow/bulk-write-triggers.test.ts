import { applyTemplate, createTestUser, defineEntities, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Records written in bulk (CSV import, the bulk data route) start record-trigger workflows as single writes do.
let engine: TestEngine;
const knex = () => engine.ctx.db.knex;

const deal = {
  name: "deal",
  fields: [
    { name: "code", type: "text" as const, unique: true },
    { name: "amount", type: "decimal" as const, scale: 2 },
    { name: "stage", type: "enum" as const, values: ["open", "won"] },
    { name: "note", type: "text" as const },
  ],
};

// A workflow that marks the record it started for (its own write triggers nothing).
const marking = (note: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="defs" targetNamespace="http://kehu.dev/test">
  <process id="p" isExecutable="true">
    <startEvent id="s"/>
    <serviceTask id="mark" camunda:type="external" camunda:topic="updateRecord"><extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="entity">deal</camunda:inputParameter>
      <camunda:inputParameter name="values.note">${note}</camunda:inputParameter>
    </camunda:inputOutput></extensionElements></serviceTask>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="mark"/><sequenceFlow id="f2" sourceRef="mark" targetRef="e"/>
  </process>
</definitions>`;

async function drainAll(): Promise<number> {
  return (await engine.ctx.workflows!.drainAllStarts()).ran;
}

const importCsv = (entity: string, csv: string, query = "") =>
  engine.http(`/api/data/${entity}/import${query}`, {
    method: "POST",
    body: csv,
    headers: { "content-type": "text/csv" },
  });

async function deploy(key: string, note: string, trigger: Record<string, unknown>) {
  const res = await engine.http("/api/workflows/deployments", {
    method: "POST",
    body: { key, xml: marking(note), entity: "deal" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const t = await engine.http("/api/workflows/triggers", {
    method: "POST",
    body: { key, kind: "record", entity: "deal", ...trigger },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
}

const notes = async () =>
  Object.fromEntries(
    (await knex()("data.deal").select("code", "note")).map((r) => [r.code as string, r.note as string | null]),
  );

beforeAll(async () => {
  engine = await startTestEngine();
  await applyTemplate(engine.ctx, "building-materials");
  const idOf = async (table: string, where: Record<string, unknown>) =>
    (await knex()(table).where(where).first("id")).id;
  const sales = await idOf("kehu.roles", { name: "sales" });
  for (const [login, code] of [
    ["east1", "SH-XH"],
    ["east2", "HZ-BJ"],
    ["north1", "BJ-CY"],
  ])
    await createTestUser(engine.ctx, {
      login,
      departmentId: await idOf("kehu.departments", { code }),
      roleIds: [sales],
    });
  await defineEntities(engine.ctx, [deal]);
  await deploy("deal_won", "won", {
    events: ["update"],
    condition: "stage = 'won' and coalesce(before.stage, '') != 'won'",
  });
  await deploy("big_deal", "big", { events: ["create"], condition: "amount > 10000" });
}, 240_000);
afterAll(() => engine?.close());

describe("record triggers on bulk writes", () => {
  it("a CSV import of leads starts the lead-assignment workflow for every imported lead", async () => {
    const regions = ["East", "North"];
    const rows = Array.from({ length: 150 }, (_, i) => `导入线索 ${i},${regions[i % 2]}`);
    const res = await importCsv("lead", ["company,region", ...rows].join("\n"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 150, skipped: 0 });
    expect(await drainAll()).toBe(150);

    const leads = await knex()("data.lead as l")
      .join("kehu.users as u", "u.id", "l.owner_id")
      .select("l.id", "l.region", "l.status", "u.login");
    expect(leads).toHaveLength(150);
    expect(leads.every((l) => l.status === "assigned")).toBe(true);
    expect(new Set(leads.filter((l) => l.region === "North").map((l) => l.login))).toEqual(new Set(["north1"]));
    expect(new Set(leads.filter((l) => l.region === "East").map((l) => l.login))).toEqual(new Set(["east1", "east2"]));
    const instances = await knex()("kehu.wf_instances").where({ key: "lead-assignment" }).select("record_id");
    expect(instances.map((i) => i.record_id).sort()).toEqual(leads.map((l) => l.id).sort());
    // Heard records are audited from the rows read back rather than inside the insert: still one create row each.
    const audited = await knex()("kehu.audit_log").where({ entity: "lead", action: "create" }).select("record_id");
    expect(audited.map((a) => a.record_id).sort()).toEqual(leads.map((l) => l.id).sort());
  }, 240_000);

  it("an upserting import starts update-triggered workflows only for records whose change meets the condition", async () => {
    const first = await importCsv("deal", "code,amount,stage\nD1,100,open\nD2,200,open\nD3,300,won\nD4,50000,open");
    expect(first.body).toMatchObject({ created: 4 });
    expect(await drainAll()).toBe(1); // D4 is big
    const second = await importCsv(
      "deal",
      "code,amount,stage\nD1,110,won\nD2,210,open\nD3,310,won\nD5,60,won",
      "?upsertBy=code",
    );
    expect(second.body, JSON.stringify(second.body)).toMatchObject({ created: 1, updated: 3 });
    // D1 became won; D3 already was; D2 stays open; D5 was created (no update), and is small.
    expect(await drainAll()).toBe(1);
    expect(await notes()).toEqual({ D1: "won", D2: null, D3: null, D4: "big", D5: null });
  }, 120_000);

  it("the bulk data route starts workflows for the records it creates and updates", async () => {
    const res = await engine.http("/api/data/deal/bulk", {
      method: "POST",
      body: {
        upsertBy: "code",
        records: [
          { code: "D2", stage: "won" },
          { code: "B1", amount: "20000", stage: "open" },
          { code: "B2", amount: "5", stage: "open" },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 2, updated: 1 });
    expect(await drainAll()).toBe(2);
    expect(await notes()).toMatchObject({ D2: "won", B1: "big", B2: null });
    const started = await knex()("kehu.wf_instances as i")
      .join("data.deal as d", "d.id", "i.record_id")
      .whereIn("d.code", ["D2", "B1"])
      .select("i.key", "d.code", "i.variables");
    expect(started.map((s) => [s.code, s.key]).sort()).toEqual([
      ["B1", "big_deal"],
      ["D2", "deal_won"],
    ]);
    expect(started.find((s) => s.code === "B1").variables.record).toMatchObject({ code: "B1", amount: "20000" });
  }, 120_000);
});

describe("record triggers on single writes", () => {
  it("a condition on the values before an update holds for entities that are not audited", async () => {
    await defineEntities(engine.ctx, [{ ...deal, name: "quiet_deal", audit: false }]);
    const noop = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://kehu.dev/test">
  <process id="p" isExecutable="true"><startEvent id="s"/><endEvent id="e"/>
    <sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
</definitions>`;
    const deployed = await engine.http("/api/workflows/deployments", {
      method: "POST",
      body: { key: "quiet_won", xml: noop, entity: "quiet_deal" },
    });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: {
        key: "quiet_won",
        kind: "record",
        entity: "quiet_deal",
        events: ["update"],
        condition: "stage = 'won' and coalesce(before.stage, '') != 'won'",
      },
    });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);
    const patch = (id: string, body: object) => engine.http(`/api/data/quiet_deal/${id}`, { method: "PATCH", body });

    const created = await engine.http("/api/data/quiet_deal", { method: "POST", body: { code: "Q1", stage: "open" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await patch(created.body.id, { stage: "won" })).status).toBe(200);
    expect(await drainAll()).toBe(1);
    // Still won: editing another field is no change of stage, so nothing starts again.
    expect((await patch(created.body.id, { note: "signed" })).status).toBe(200);
    expect(await drainAll()).toBe(0);
  }, 120_000);
});
