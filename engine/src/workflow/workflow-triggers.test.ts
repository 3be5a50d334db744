import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRON_QUEUE, JobQueue } from "../jobs/job-queue";
import { defineEntities, startTestEngine, type TestEngine } from "../testing";
import { bpmnXml, chain, inputs } from "./test-bpmn";

let engine: TestEngine;

const deal = {
  name: "deal",
  label: { en: "Deal", zh: "商机" },
  titleField: "name",
  ownership: "user" as const,
  fields: [
    { name: "name", type: "text" as const, required: true },
    { name: "amount", type: "decimal" as const },
    { name: "stage", type: "text" as const },
    { name: "value", type: "money" as const },
    { name: "region", type: "text" as const },
  ],
};

const instances = (key: string) => engine.ctx.db.knex("kehu.wf_instances").where({ key }).orderBy("created_at");

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    deal,
    {
      name: "lead_source",
      label: { en: "Lead source", zh: "线索来源" },
      titleField: "name",
      ownership: "none",
      fields: [{ name: "name", type: "text" }],
    },
  ]);
  const xml = bpmnXml(
    `<startEvent id="s"/>
     <serviceTask id="mark" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "deal", "values.stage": "review" })}</serviceTask>
     <userTask id="approve" camunda:candidateGroups="managers"/><endEvent id="e"/>${chain("s", "mark", "approve", "e")}`,
  );
  const res = await engine.http("/api/workflows/deployments", {
    method: "POST",
    body: { key: "big_deal", xml, entity: "deal" },
  });
  expect(res.status).toBe(201);
  const report = bpmnXml(`<startEvent id="s"/><endEvent id="e"/>${chain("s", "e")}`);
  await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "nightly", xml: report } });
});
afterAll(() => engine?.close());

describe("workflow triggers", () => {
  it("starts a workflow for records created or updated to match a condition, once, after the write commits", async () => {
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: {
        key: "big_deal",
        kind: "record",
        entity: "deal",
        events: ["create", "update"],
        condition: "amount > 10000 and stage = 'new'",
      },
    });
    expect(trigger.status).toBe(201);
    const small = await engine.http("/api/data/deal", {
      method: "POST",
      body: { name: "Small", amount: "500", stage: "new" },
    });
    const big = await engine.http("/api/data/deal", {
      method: "POST",
      body: { name: "Big", amount: "50000", stage: "new" },
    });
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 1, failed: 0 });
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 0, failed: 0 });
    let rows = await instances("big_deal");
    expect(rows.map((r) => [r.entity, r.record_id, r.status, r.started_by])).toEqual([
      ["deal", big.body.id, "waiting", "system"],
    ]);
    expect(rows[0].variables.record.name).toBe("Big");
    // The workflow's own update (stage = review) does not trigger it again.
    expect((await engine.http(`/api/data/deal/${big.body.id}`)).body.stage).toBe("review");
    await engine.http(`/api/data/deal/${small.body.id}`, { method: "PATCH", body: { amount: "20000" } });
    expect((await engine.ctx.workflows!.drainStarts()).failed).toBe(0);
    rows = await instances("big_deal");
    expect(rows.map((r) => r.record_id)).toEqual([big.body.id, small.body.id]);
  });

  it("queues nothing when the write is refused", async () => {
    const before = (await instances("big_deal")).length;
    const refused = await engine.http("/api/data/deal", { method: "POST", body: { amount: "90000", stage: "new" } });
    expect(refused.status).toBe(400);
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 0, failed: 0 });
    expect((await instances("big_deal")).length).toBe(before);
  });

  it("refuses triggers with bad conditions, cron or unknown workflows", async () => {
    const res = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "big_deal", kind: "record", entity: "deal", condition: "amount >> 3", colour: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/colour", "/condition"]);
    const cron = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "nightly", kind: "schedule", cron: "every day" },
    });
    expect(cron.body.errors[0].path).toBe("/cron");
    const seconds = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "nightly", kind: "schedule", cron: "*/5 * * * * *" },
    });
    expect(seconds.status).toBe(400);
    expect(seconds.body.errors).toEqual([
      {
        path: "/cron",
        message: expect.stringMatching(/^cron must be a cron expression of five fields: .*\(no seconds\)/),
      },
    ]);
    // Expressions croner takes but the job queue's parser refuses would save and never fire.
    for (const cron of ["0 9 15W * *", "0 0 LW * *"]) {
      const res = await engine.http("/api/workflows/triggers", {
        method: "POST",
        body: { key: "nightly", kind: "schedule", cron },
      });
      expect(res.status, cron).toBe(400);
      expect(res.body.errors[0].path, cron).toBe("/cron");
    }
    const otherEntity = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "big_deal", kind: "record", entity: "lead_source" },
    });
    expect(otherEntity.status).toBe(400);
    expect(otherEntity.body.errors).toEqual([
      { path: "/entity", message: 'workflow "big_deal" is started for deal records, not lead_source' },
    ]);
    const unknown = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "nope", kind: "schedule", cron: "0 2 * * *" },
    });
    expect(unknown.body.errors[0]).toMatchObject({ path: "/key" });
  });

  it("refuses a condition naming a field the entity does not have", async () => {
    const post = (condition: string) =>
      engine.http("/api/workflows/triggers", {
        method: "POST",
        body: { key: "big_deal", kind: "record", entity: "deal", condition },
      });
    const typo = await post("stage = 'new' and amout > 5");
    expect(typo.status).toBe(400);
    expect(typo.body.errors).toEqual([
      { path: "/condition", message: 'deal has no field "amout" (a condition reads the record\'s fields)' },
    ]);
    const before = await post("before.stag != stage");
    expect(before.body.errors).toEqual([
      { path: "/condition", message: 'deal has no field "stag" (a condition reads the record\'s fields)' },
    ]);
    const through = await post("name.first = 'x'");
    expect(through.body.errors[0].message).toContain('"name.first"');
    expect(await engine.ctx.db.knex("kehu.wf_triggers").where({ entity: "deal", kind: "record" })).toHaveLength(1);
    const fine = await post("record.stage = 'new' and before.stage != stage and owner_id != null and id != null");
    expect(fine.status).toBe(201);
    expect((await engine.http(`/api/workflows/triggers/${fine.body.id}`, { method: "DELETE" })).status).toBe(204);
    // Deleted once: a second delete finds nothing (it answered 204 on PGlite, whose driver gave no deleted count).
    const again = await engine.http(`/api/workflows/triggers/${fine.body.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toMatch(/application\/problem\+json/);
  });

  it("refuses to drop a field a trigger's condition reads, naming the trigger", async () => {
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "big_deal", kind: "record", entity: "deal", condition: "before.region != region" },
    });
    expect(trigger.status).toBe(201);
    try {
      const current = (await engine.http("/api/meta/entities/deal")).body;
      const definition = current.definition ?? current;
      const withoutRegion = {
        ...definition,
        fields: definition.fields.filter((f: { name: string }) => f.name !== "region"),
      };
      const drop = await engine.http("/api/meta/entities/deal", { method: "PUT", body: withoutRegion });
      expect(drop.status).toBe(409);
      expect(drop.body.impact.map((i: { message: string }) => i.message)).toEqual([
        `a trigger of workflow "big_deal" reads deal.region (before.region != region), which this change drops`,
      ]);
    } finally {
      await engine.http(`/api/workflows/triggers/${trigger.body.id}`, { method: "DELETE" });
    }
  });

  it("never fails a record write over a condition that cannot be evaluated on it; the trigger is skipped", async () => {
    const before = (await instances("big_deal")).length;
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "big_deal", kind: "record", entity: "deal", condition: "name > 5" },
    });
    expect(trigger.status).toBe(201);
    try {
      const one = await engine.http("/api/data/deal", { method: "POST", body: { name: "Text", stage: "x" } });
      expect(one.status).toBe(201);
      const bulk = await engine.http("/api/data/deal/bulk", {
        method: "POST",
        body: { records: [{ name: "Bulk", stage: "x" }] },
      });
      expect(bulk.status).toBeLessThan(300);
      expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 0, failed: 0 });
      expect((await instances("big_deal")).length).toBe(before);
    } finally {
      await engine.http(`/api/workflows/triggers/${trigger.body.id}`, { method: "DELETE" });
    }
  });

  it("reads a money field in a condition as its amount", async () => {
    const trigger = await engine.http("/api/workflows/triggers", {
      method: "POST",
      body: { key: "big_deal", kind: "record", entity: "deal", condition: "value > 50000" },
    });
    expect(trigger.status).toBe(201);
    try {
      const small = await engine.http("/api/data/deal", {
        method: "POST",
        body: { name: "Small money", value: { amount: "500.00", currency: "CNY" } },
      });
      const big = await engine.http("/api/data/deal", {
        method: "POST",
        body: { name: "Big money", value: { amount: "60000.00", currency: "CNY" } },
      });
      expect([small.status, big.status]).toEqual([201, 201]);
      expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 1, failed: 0 });
      const rows = await instances("big_deal").where({ record_id: big.body.id });
      expect(rows).toHaveLength(1);
    } finally {
      await engine.http(`/api/workflows/triggers/${trigger.body.id}`, { method: "DELETE" });
    }
  });

  it("keeps a pg-boss schedule per cron trigger and starts the workflow when it fires", async () => {
    const queue = new JobQueue(engine.ctx, engine.ctx.workflows!, { pollingIntervalSeconds: 0.5 });
    engine.ctx.jobs = queue;
    await queue.start();
    try {
      const created = await engine.http("/api/workflows/triggers", {
        method: "POST",
        body: { key: "nightly", kind: "schedule", cron: "0 2 * * *", variables: { report: "sales" } },
      });
      expect(created.status).toBe(201);
      const schedules = await engine.ctx.db.knex("pgboss.schedule").where({ name: CRON_QUEUE });
      expect(schedules.map((s) => [s.key, s.cron])).toEqual([[created.body.id, "0 2 * * *"]]);
      const outcome = await engine.ctx.workflows!.startScheduled(created.body.id);
      expect(outcome?.status).toBe("completed");
      expect((await instances("nightly"))[0].variables.report).toBe("sales");
      await engine.http(`/api/workflows/triggers/${created.body.id}`, { method: "DELETE" });
      expect(await engine.ctx.db.knex("pgboss.schedule").where({ name: CRON_QUEUE })).toEqual([]);
    } finally {
      await queue.stop();
    }
  });
});
