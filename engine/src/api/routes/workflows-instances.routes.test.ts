import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, defineEntities, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml, chain } from "../../workflow/test-bpmn";

let engine: TestEngine;
const tokens: Record<string, string> = {};
let leadId: string;
let instanceId: string;

// rex (sales, sees his own leads) creates a lead; its creation starts a review that managers are candidates for.
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    {
      name: "lead",
      label: { en: "Lead", zh: "线索" },
      titleField: "name",
      ownership: "user",
      fields: [{ name: "name", type: "text", required: true }],
    },
  ]);
  const sales = await createTestRole(engine.ctx, {
    name: "sales",
    permissions: { lead: { create: "all", read: "own", update: "own" } },
  });
  const managers = await createTestRole(engine.ctx, { name: "managers" });
  const auditors = await createTestRole(engine.ctx, { name: "auditors", permissions: { lead: { read: "all" } } });
  for (const [login, role] of [
    ["rex", sales],
    ["sam", sales],
    ["mia", managers],
    ["ada", auditors],
  ] as const)
    tokens[login] = (await createTestUser(engine.ctx, { login, roleIds: [role.id] })).token;
  const xml = bpmnXml(
    `<startEvent id="s"/><userTask id="review" name="Review" camunda:candidateGroups="managers"/><endEvent id="e"/>${chain("s", "review", "e")}`,
  );
  await engine.http("/api/workflows/deployments", {
    method: "POST",
    body: { key: "lead_review", xml, entity: "lead" },
  });
  await engine.http("/api/workflows/triggers", {
    method: "POST",
    body: { key: "lead_review", kind: "record", entity: "lead", events: ["create"] },
  });
  leadId = (await engine.http("/api/data/lead", { method: "POST", body: { name: "L-1" }, as: tokens.rex })).body.id;
  expect((await engine.ctx.workflows!.drainStarts()).failed).toBe(0);
  instanceId = (await engine.http(`/api/workflows/instances?entity=lead&recordId=${leadId}`)).body.data[0].id;
});
afterAll(() => engine?.close());

const ids = (body: { data: Array<{ id: string }> }) => body.data.map((i) => i.id);

describe("who may read a workflow instance", () => {
  it("a user who may read the linked record opens its instance from the record, without seeing others' instances", async () => {
    const forRecord = await engine.http(`/api/workflows/instances?entity=lead&recordId=${leadId}`, { as: tokens.ada });
    expect(ids(forRecord.body)).toEqual([instanceId]);
    expect((await engine.http(`/api/workflows/instances/${instanceId}`, { as: tokens.ada })).body.active).toEqual([
      "review",
    ]);
    const history = await engine.http(`/api/workflows/instances/${instanceId}/history`, { as: tokens.ada });
    expect(history.body.data.map((h: { elementId: string }) => h.elementId)).toContain("review");
    expect(ids((await engine.http("/api/workflows/instances", { as: tokens.ada })).body)).toEqual([]);
  });

  it("a candidate of a task in the instance may read it and finds it in the list", async () => {
    expect((await engine.http(`/api/workflows/instances/${instanceId}`, { as: tokens.mia })).status).toBe(200);
    expect(ids((await engine.http("/api/workflows/instances", { as: tokens.mia })).body)).toEqual([instanceId]);
  });

  it("a user who can neither read the record nor has a task gets 404, and readers may not cancel", async () => {
    expect((await engine.http(`/api/workflows/instances/${instanceId}`, { as: tokens.sam })).status).toBe(404);
    const listed = await engine.http(`/api/workflows/instances?entity=lead&recordId=${leadId}`, { as: tokens.sam });
    expect(ids(listed.body)).toEqual([]);
    const cancel = await engine.http(`/api/workflows/instances/${instanceId}/cancel`, {
      method: "POST",
      body: {},
      as: tokens.ada,
    });
    expect(cancel.status).toBe(403);
    expect((await engine.http(`/api/workflows/instances/${instanceId}`)).body.status).not.toBe("cancelled");
  });

  it("starts a workflow by hand for a record the starter may read, linked to it as a trigger's start is", async () => {
    const start = (login: string, body: unknown) =>
      engine.http("/api/workflows/lead_review/instances", { method: "POST", body, as: tokens[login] });
    const started = await start("rex", { recordId: leadId, variables: { note: "again" } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ entity: "lead", recordId: leadId, startedBy: "rex" });
    expect(started.body.variables).toMatchObject({
      initiator: "rex",
      note: "again",
      record: { id: leadId, name: "L-1" },
    });
    const forRecord = await engine.http(`/api/workflows/instances?entity=lead&recordId=${leadId}`, { as: tokens.ada });
    expect(ids(forRecord.body)).toContain(started.body.id);
    // sam may not read rex's lead: the record is not found for him, and nothing starts.
    const before = await engine.ctx.db.knex("kehu.wf_instances").count({ n: "*" });
    expect((await start("sam", { recordId: leadId })).status).toBe(404);
    const bad = await start("rex", { recordId: "L-1", variables: { record: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["/recordId"]);
    const spoof = await start("rex", { recordId: leadId, variables: { record: { name: "fake" } } });
    expect(spoof.body.errors.map((e: { path: string }) => e.path)).toEqual(["/variables/record"]);
    expect(await engine.ctx.db.knex("kehu.wf_instances").count({ n: "*" })).toEqual(before);
  });

  it("the service library lists each service with its input schema", async () => {
    const services = await engine.http("/api/workflows/services", { as: tokens.rex });
    const update = services.body.data.find((s: { name: string }) => s.name === "updateRecord");
    expect(update.inputSchema.required).toEqual(["entity", "values"]);
    expect(update.description).toMatch(/record/i);
  });
});

describe("cancelling an instance", () => {
  it("is in the instance history and in the audit trail of who did it", async () => {
    const cancelled = await engine.http(`/api/workflows/instances/${instanceId}/cancel`, { method: "POST" });
    expect(cancelled.body.status).toBe("cancelled");
    const history = await engine.http(`/api/workflows/instances/${instanceId}/history`);
    expect(history.body.data.map((h: { event: string }) => h.event)).toContain("cancelled");
    const trail = await engine.http(`/api/audit?user=${engine.admin.id}`);
    expect(trail.body.data).toContainEqual(
      expect.objectContaining({
        entity: "workflow_instance",
        recordId: instanceId,
        action: "update",
        changes: { status: { old: expect.any(String), new: "cancelled" } },
      }),
    );
  });
});
