import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, defineEntities, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml, chain } from "../../workflow/test-bpmn";

let engine: TestEngine;
let approver: string;

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    {
      name: "quote",
      label: { en: "Quote", zh: "报价" },
      titleField: "name",
      ownership: "none",
      fields: [{ name: "name", type: "text", required: true }],
    },
  ]);
  const role = await createTestRole(engine.ctx, { name: "approvers" });
  approver = (await createTestUser(engine.ctx, { login: "ann", roleIds: [role.id] })).token;
  const xml = bpmnXml(
    `<startEvent id="s"/><userTask id="check" name="Check" camunda:candidateGroups="approvers"/><endEvent id="e"/>${chain("s", "check", "e")}`,
  );
  await engine.http("/api/workflows/deployments", {
    method: "POST",
    body: { key: "quote_check", xml, entity: "quote" },
  });
  await engine.http("/api/workflows/triggers", {
    method: "POST",
    body: { key: "quote_check", kind: "record", entity: "quote", events: ["create"] },
  });
});
afterAll(() => engine?.close());

describe("the record a task is about", () => {
  it("shows in the inbox to a candidate, who may open the instance their task is in, and instances filter by record", async () => {
    const quote = await engine.http("/api/data/quote", { method: "POST", body: { name: "Q-1" } });
    await engine.http("/api/data/quote", { method: "POST", body: { name: "Q-2" } });
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 2, failed: 0 });

    const inbox = await engine.http("/api/tasks?view=claimable", { as: approver });
    expect(inbox.body.data).toHaveLength(2);
    const task = inbox.body.data.find((t: { subject: { recordId: string } }) => t.subject.recordId === quote.body.id);
    expect(task.subject).toEqual({
      processKey: "quote_check",
      entity: "quote",
      recordId: quote.body.id,
      businessKey: null,
    });
    expect((await engine.http(`/api/tasks/${task.id}`, { as: approver })).body.subject.recordId).toBe(quote.body.id);
    expect((await engine.http(`/api/workflows/instances/${task.instanceId}`, { as: approver })).status).toBe(200);

    const mine = await engine.http(`/api/workflows/instances?entity=quote&recordId=${quote.body.id}`);
    expect(mine.body.data.map((i: { id: string }) => i.id)).toEqual([task.instanceId]);
    const bad = await engine.http("/api/workflows/instances?recordId=Q-1");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("/recordId");
  });
});
