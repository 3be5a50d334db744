import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, defineEntities, startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "./deployments";
import { callService } from "./service-call";
import { StepEffects } from "./step-effects";
import { bpmnXml, chain, inputs } from "./test-bpmn";
import type { WorkflowRuntime } from "./workflow-runtime";

let engine: TestEngine;
let runtime: WorkflowRuntime;
const users: Record<string, string> = {};

const lead = {
  name: "lead",
  label: { en: "Lead", zh: "线索" },
  titleField: "name",
  ownership: "user" as const,
  fields: [
    { name: "name", type: "text" as const, required: true },
    { name: "amount", type: "decimal" as const },
    { name: "status", type: "text" as const },
  ],
};

const deploy = (key: string, body: string) =>
  deployWorkflow(
    engine.ctx.db.knex,
    { library: runtime.library, registry: engine.ctx.registry },
    { key, xml: bpmnXml(body), entity: "lead" },
    "test",
  );
const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await engine.ctx.db.knex(table).where(where).count({ n: "*" }))[0].n);
const instance = (id: string) => engine.ctx.db.knex("kehu.wf_instances").where({ id }).first();

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  await defineEntities(engine.ctx, [lead]);
  const sales = await createTestRole(engine.ctx, { name: "sales", permissions: { lead: { read: "own" } } });
  for (const login of ["amy", "ben", "cai"])
    users[login] = (await createTestUser(engine.ctx, { login, roleIds: [sales.id] })).id;
  await deploy(
    "lead_intake",
    `<startEvent id="s"/>
     <serviceTask id="create" camunda:type="external" camunda:topic="createRecord" camunda:resultVariable="lead">
       ${inputs({ entity: "lead", "values.name": "${company}", "values.amount": "${amount}" })}</serviceTask>
     <serviceTask id="assign" camunda:type="external" camunda:topic="assignOwner" camunda:resultVariable="assigned">
       ${inputs({ role: "sales", entity: "lead", id: "${lead.id}" })}</serviceTask>
     <serviceTask id="tell" camunda:type="external" camunda:topic="notify">
       ${inputs({ to: "${assigned.login}", title: "${concat('New lead: ', company)}", email: "${true}" })}</serviceTask>
     <exclusiveGateway id="big" default="small"/>
     <userTask id="approve" camunda:assignee="\${assigned.login}"/>
     <endEvent id="done"/><endEvent id="auto"/>
     ${chain("s", "create", "assign", "tell", "big")}
     <sequenceFlow id="large" sourceRef="big" targetRef="approve"><conditionExpression xsi:type="tFormalExpression">\${amount &gt;= 10000}</conditionExpression></sequenceFlow>
     <sequenceFlow id="small" sourceRef="big" targetRef="auto"/>
     ${chain("approve", "done")}`,
  );
});
afterAll(() => engine?.close());

describe("the workflow runtime", () => {
  it("runs library services as the workflow and routes on a safe expression", async () => {
    const big = await runtime.start("lead_intake", { company: "ACME", amount: 25000 }, { actor: "amy" });
    const row = await instance(big.instanceId);
    expect(row.status).toBe("waiting");
    expect(row.active).toEqual(["approve"]);
    const created = await engine.ctx.db.knex("data.lead").where({ name: "ACME" }).first();
    expect(created.owner_id).toBe(users[row.variables.assigned.login]);
    expect(row.variables.lead.id).toBe(created.id);
    const audit = await engine.ctx.db
      .knex("kehu.audit_log")
      .where({ entity: "lead", record_id: created.id })
      .orderBy("id");
    expect(audit.map((a) => [a.action, a.channel, a.actor_login])).toEqual([
      ["create", "workflow", "workflow:lead_intake"],
      ["ownership", "workflow", "workflow:lead_intake"],
    ]);
    const note = await engine.ctx.db.knex("kehu.wf_notifications").where({ instance_id: big.instanceId }).first();
    expect(note).toMatchObject({ user_login: row.variables.assigned.login, title: "New lead: ACME" });
    const task = await engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: big.instanceId }).first();
    expect(task).toMatchObject({ element_id: "approve", assignee: row.variables.assigned.login, status: "open" });
    expect(await count("kehu.wf_effects", { instance_id: big.instanceId })).toBe(3);

    const small = await runtime.start("lead_intake", { company: "Tiny", amount: 900 }, { actor: "amy" });
    expect((await instance(small.instanceId)).status).toBe("completed");
    const history = await engine.ctx.db
      .knex("kehu.wf_history")
      .where({ instance_id: small.instanceId })
      .pluck("element_id");
    expect(history).toContain("auto");
    expect(history).not.toContain("approve");
  });

  it("runs a service's effect once per execution, however often it is called", async () => {
    const { instanceId } = await runtime.start("lead_intake", { company: "Once", amount: 1 }, { actor: "amy" });
    const ref = { id: instanceId, key: "lead_intake", version: 1, startedBy: "amy", entity: null, recordId: null };
    const call = {
      executionId: "create_replayed",
      elementId: "create",
      input: { entity: "lead", values: { name: "Replayed" } },
    };
    const refuse = async () => Promise.reject(new Error("not used"));
    const direct = <T>(work: () => Promise<T>) => work();
    const knex = engine.ctx.db.knex;
    // As a step does: the rows it owes (the idempotency row) are written in the transaction of the effect.
    const once = () =>
      knex.transaction(async (trx) => {
        const effects = new StepEffects();
        const result = await callService(trx, runtime.deps, ref, "createRecord", call, refuse, direct, (owed) =>
          effects.owe(owed.table, owed.rows),
        );
        await effects.flush(trx);
        return result;
      });
    const first = await once();
    const second = await once();
    expect(second).toEqual(first);
    expect(await count("data.lead", { name: "Replayed" })).toBe(1);
  });

  it("shares round-robin turns fairly among concurrent starts, with a decision trace", async () => {
    const before = Object.fromEntries(
      await Promise.all(Object.entries(users).map(async ([l, id]) => [l, await count("data.lead", { owner_id: id })])),
    );
    const started = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runtime.start("lead_intake", { company: `RR ${i}`, amount: 1 }, { actor: "amy" }),
      ),
    );
    expect(started.every((s) => s.status === "completed")).toBe(true);
    for (const [login, id] of Object.entries(users))
      expect((await count("data.lead", { owner_id: id })) - before[login]).toBe(4);
    const trace = await engine.ctx.db.knex("kehu.wf_assignments").orderBy("id", "desc").first();
    expect(trace.trace).toMatchObject({
      strategy: "roundRobin",
      pool: "role:sales",
      candidates: ["amy", "ben", "cai"],
    });
  });

  it("picks the owner with the fewest open records under leastOpen", async () => {
    await deploy(
      "least",
      `<startEvent id="s"/><serviceTask id="a" camunda:type="external" camunda:topic="assignOwner" camunda:resultVariable="who">
       ${inputs({ users: "amy,ben,cai", strategy: "leastOpen", entity: "lead" })}</serviceTask><endEvent id="e"/>${chain("s", "a", "e")}`,
    );
    await engine.ctx.db
      .knex("data.lead")
      .where({ owner_id: users.ben })
      .update({ deleted_at: engine.ctx.db.knex.fn.now() });
    const { instanceId } = await runtime.start("least", {}, { actor: "amy" });
    const row = await instance(instanceId);
    expect(row.variables.who.login).toBe("ben");
    expect(row.variables.who.trace.candidates.find((c: { login: string }) => c.login === "ben").open).toBe(0);
  });

  it("marks an instance failed without partial effects, and retry runs the step again", async () => {
    await deploy(
      "touch",
      `<startEvent id="s"/>
       <serviceTask id="note" camunda:type="external" camunda:topic="notify">${inputs({ to: "amy", title: "touching" })}</serviceTask>
       <serviceTask id="mark" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "lead", id: "${leadId}", "values.status": "touched" })}</serviceTask>
       <endEvent id="e"/>${chain("s", "note", "mark", "e")}`,
    );
    const created = await engine.http("/api/data/lead", { method: "POST", body: { name: "Gone" } });
    await engine.http(`/api/data/lead/${created.body.id}`, { method: "DELETE" });
    const { instanceId, status, error } = await runtime.start("touch", { leadId: created.body.id }, { actor: "amy" });
    expect(status).toBe("failed");
    expect(error).toContain("No lead record");
    // notify's inbox row and idempotency row were owed to the step: the failed step writes neither.
    expect(await count("kehu.wf_notifications", { instance_id: instanceId })).toBe(0);
    expect(await count("kehu.wf_effects", { instance_id: instanceId })).toBe(0);
    await engine.http(`/api/data/lead/${created.body.id}/restore`, { method: "POST" });
    const retried = await engine.http(`/api/workflows/instances/${instanceId}/retry`, { method: "POST" });
    expect(retried.body.status).toBe("completed");
    expect(await count("kehu.wf_notifications", { instance_id: instanceId })).toBe(1);
    expect(await count("kehu.wf_effects", { instance_id: instanceId })).toBe(2);
    expect((await engine.ctx.db.knex("data.lead").where({ id: created.body.id }).first()).status).toBe("touched");
    const events = await engine.ctx.db
      .knex("kehu.wf_history")
      .where({ instance_id: instanceId })
      .orderBy("id")
      .pluck("event");
    expect(events.slice(0, 2)).toEqual(["failed", "retried"]);
    const history = await engine.http(`/api/workflows/instances/${instanceId}/history`);
    expect(history.body.data[0]).toMatchObject({ event: "failed", elementId: "mark", elementType: "bpmn:ServiceTask" });
  });

  it("fails a record service with no id in an instance started for no record, saying so", async () => {
    await deploy(
      "orphan",
      `<startEvent id="s"/>
       <serviceTask id="mark" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "lead", "values.status": "touched" })}</serviceTask>
       <endEvent id="e"/>${chain("s", "mark", "e")}`,
    );
    const { status, error } = await runtime.start("orphan", {}, { actor: "amy" });
    expect(status).toBe("failed");
    expect(error).toBe(
      "updateRecord: no id input, and the instance was started for no record (start it for one, or give id)",
    );
  });

  it("starts another workflow from a service task", async () => {
    await deploy(
      "parent",
      `<startEvent id="s"/><serviceTask id="kick" camunda:type="external" camunda:topic="startWorkflow" camunda:resultVariable="child">
       ${inputs({ key: "lead_intake", "variables.company": "${concat(company, ' child')}", "variables.amount": "${5}" })}</serviceTask>
       <endEvent id="e"/>${chain("s", "kick", "e")}`,
    );
    const { instanceId } = await runtime.start("parent", { company: "Kin" }, { actor: "amy" });
    const child = await instance((await instance(instanceId)).variables.child.instanceId);
    expect(child).toMatchObject({ key: "lead_intake", status: "completed", started_by: "workflow:parent" });
    expect(await count("data.lead", { name: "Kin child" })).toBe(1);
  });
});
