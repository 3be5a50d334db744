import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml, chain, inputs } from "../../workflow/test-bpmn";

let engine: TestEngine;
const tokens: Record<string, string> = {};

const form = `<extensionElements>
  <camunda:properties><camunda:property name="outcomes" value="approve,reject,return"/></camunda:properties>
  <camunda:formData>
    <camunda:formField id="discount" label="Discount %" type="long">
      <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="min" config="0"/><camunda:constraint name="max" config="30"/></camunda:validation>
    </camunda:formField>
  </camunda:formData></extensionElements>`;

const xml = bpmnXml(
  `<startEvent id="s"/>
   <userTask id="review" name="Review discount" camunda:candidateGroups="sales_lead,finance">${form}</userTask>
   <exclusiveGateway id="decide" default="back"/>
   <serviceTask id="tell" camunda:type="external" camunda:topic="notify">${inputs({ to: "${initiator}", title: "Approved" })}</serviceTask>
   <userTask id="rework" name="Rework" camunda:assignee="\${initiator}"/>
   <endEvent id="approved"/><endEvent id="rejected"/>
   ${chain("s", "review", "decide")}
   <sequenceFlow id="yes" sourceRef="decide" targetRef="tell"><conditionExpression xsi:type="tFormalExpression">\${outcome = 'approve'}</conditionExpression></sequenceFlow>
   <sequenceFlow id="no" sourceRef="decide" targetRef="rejected"><conditionExpression xsi:type="tFormalExpression">\${outcome = 'reject'}</conditionExpression></sequenceFlow>
   <sequenceFlow id="back" sourceRef="decide" targetRef="rework"/>
   ${chain("tell", "approved")}${chain("rework", "review")}`,
);

const as = (login: string) => ({ as: tokens[login] });
const inbox = async (login: string, view = "mine") =>
  (await engine.http(`/api/tasks?view=${view}`, as(login))).body.data as Array<{
    id: string;
    elementId: string;
    assignee: string | null;
  }>;
const post = (path: string, login: string, body: unknown = {}) =>
  engine.http(path, { method: "POST", body, ...as(login) });

beforeAll(async () => {
  engine = await startTestEngine();
  const lead = await createTestRole(engine.ctx, { name: "sales_lead" });
  const finance = await createTestRole(engine.ctx, { name: "finance" });
  const roles: Record<string, string[]> = { amy: [lead.id], ben: [finance.id], cai: [] };
  for (const login of ["amy", "ben", "cai"])
    tokens[login] = (await createTestUser(engine.ctx, { login, roleIds: roles[login] })).token;
  expect(
    (await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "discount", xml } })).status,
  ).toBe(201);
});
afterAll(() => engine?.close());

describe("/api/tasks", () => {
  it("routes a discount through claim, validated completion, return, delegation and approval", async () => {
    const started = await post("/api/workflows/discount/instances", "cai", { variables: { customer: "ACME" } });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(started.body).toMatchObject({ status: "waiting", active: ["review"], variables: { initiator: "cai" } });

    expect(await inbox("cai", "claimable")).toEqual([]);
    const [task] = await inbox("amy", "claimable");
    expect(task).toMatchObject({ elementId: "review", assignee: null });
    expect((await engine.http(`/api/tasks/${task.id}`, as("cai"))).status).toBe(404);
    expect((await post(`/api/tasks/${task.id}/claim`, "cai")).status).toBe(404);
    expect((await post(`/api/tasks/${task.id}/claim`, "ben")).status).toBe(200);
    expect((await post(`/api/tasks/${task.id}/claim`, "amy")).status).toBe(409);
    expect(await inbox("amy", "claimable")).toEqual([]);

    const bad = await post(`/api/tasks/${task.id}/complete`, "ben", { discount: 50, outcome: "maybe", note: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/discount", "/note", "/outcome"]);

    const returned = await post(`/api/tasks/${task.id}/complete`, "ben", { discount: 25, outcome: "return" });
    expect(returned.status).toBe(200);
    expect(returned.body.instance.active).toEqual(["rework"]);
    const [rework] = await inbox("cai");
    expect(rework).toMatchObject({ elementId: "rework", assignee: "cai" });
    expect((await post(`/api/tasks/${rework.id}/comments`, "cai", { body: "Lowered to 10%" })).status).toBe(201);
    expect((await post(`/api/tasks/${rework.id}/complete`, "cai", {})).status).toBe(200);

    const [again] = await inbox("amy", "claimable");
    await post(`/api/tasks/${again.id}/claim`, "amy");
    const delegated = await post(`/api/tasks/${again.id}/delegate`, "amy", { to: "ben" });
    expect(delegated.body.assignee).toBe("ben");
    expect((await post(`/api/tasks/${again.id}/complete`, "amy", { discount: 10, outcome: "approve" })).status).toBe(
      403,
    );
    const done = await post(`/api/tasks/${again.id}/complete`, "ben", { discount: 10, outcome: "approve" });
    expect(done.body.instance).toMatchObject({
      status: "completed",
      active: [],
      variables: { discount: 10, outcome: "approve" },
    });
    expect((await post(`/api/tasks/${again.id}/complete`, "ben", { discount: 10, outcome: "approve" })).status).toBe(
      409,
    );

    const history = (await engine.http(`/api/workflows/instances/${id}/history`, as("cai"))).body.data as Array<{
      event: string;
      actor: string;
      elementId: string;
    }>;
    const actions = history.filter(
      (h) => ["claimed", "completed", "delegated", "commented"].includes(h.event) && h.elementId,
    );
    expect(actions.map((h) => `${h.elementId}:${h.event}:${h.actor}`)).toEqual([
      "review:claimed:ben",
      "review:completed:ben",
      "rework:commented:cai",
      "rework:completed:cai",
      "review:claimed:amy",
      "review:delegated:amy",
      "review:completed:ben",
    ]);
    expect(history.at(-1)?.event).toBe("completed");
    const audit = await engine.ctx.db.knex("kehu.audit_log").where({ entity: "workflow_task", channel: "workflow" });
    expect(audit.length).toBe(7);
    const notes = await engine.ctx.db.knex("kehu.wf_notifications").where({ instance_id: id });
    expect(notes.map((n) => n.user_login)).toEqual(["cai"]);
  });

  it("rejects through the reject outcome and keeps completed tasks out of the open inbox", async () => {
    const started = await post("/api/workflows/discount/instances", "cai");
    const [task] = await inbox("ben", "claimable");
    const done = await post(`/api/tasks/${task.id}/complete`, "ben", { discount: 0, outcome: "reject" });
    expect(done.body.instance.status).toBe("completed");
    const history = (await engine.http(`/api/workflows/instances/${started.body.id}/history`, as("cai"))).body.data;
    expect(history.map((h: { elementId: string }) => h.elementId)).toContain("rejected");
    expect(await inbox("ben")).toEqual([]);
    expect((await engine.http("/api/tasks?view=all", as("ben"))).status).toBe(403);
  });

  it("cancels an instance with its open tasks; a candidate may read it but not cancel it", async () => {
    const started = await post("/api/workflows/discount/instances", "cai");
    expect((await engine.http(`/api/workflows/instances/${started.body.id}`, as("amy"))).status).toBe(200);
    expect((await post(`/api/workflows/instances/${started.body.id}/cancel`, "amy")).status).toBe(403);
    const detail = await engine.http(`/api/workflows/instances/${started.body.id}`, as("cai"));
    expect(detail.body.tasks).toHaveLength(1);
    const cancelled = await post(`/api/workflows/instances/${started.body.id}/cancel`, "cai");
    expect(cancelled.body.status).toBe("cancelled");
    expect(await inbox("amy", "claimable")).toEqual([]);
    expect((await post(`/api/workflows/instances/${started.body.id}/cancel`, "cai")).status).toBe(409);
  });

  it("answers 422, not 500, for a task whose stored form cannot be compiled, and leaves the task open", async () => {
    const started = await post("/api/workflows/discount/instances", "cai");
    const [task] = await inbox("amy", "claimable");
    const broken = { type: "object", properties: { discount: { type: "integer", minimum: "one" } } };
    await engine.ctx.db
      .knex("kehu.wf_tasks")
      .where({ id: task.id })
      .update({ form: JSON.stringify({ schema: broken, formKey: null }) });
    const res = await post(`/api/tasks/${task.id}/complete`, "amy", { discount: 5, outcome: "approve" });
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain("The task's form cannot be checked");
    expect((await engine.ctx.db.knex("kehu.wf_tasks").where({ id: task.id }).first()).status).toBe("open");
    await post(`/api/workflows/instances/${started.body.id}/cancel`, "cai");
  });

  it("refuses a start whose variables name someone else as its initiator", async () => {
    const before = await engine.ctx.db.knex("kehu.wf_instances").where({ key: "discount" }).count({ n: "*" });
    const spoofed = await post("/api/workflows/discount/instances", "cai", { variables: { initiator: "amy" } });
    expect(spoofed.status).toBe(400);
    expect(spoofed.body.errors).toEqual([
      { path: "/variables/initiator", message: "initiator is always the user who starts the instance" },
    ]);
    const after = await engine.ctx.db.knex("kehu.wf_instances").where({ key: "discount" }).count({ n: "*" });
    expect(after).toEqual(before);
  });
});
