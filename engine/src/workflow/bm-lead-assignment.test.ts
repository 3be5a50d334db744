import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEntities } from "../metadata/apply-entities";
import { applyTemplate, createTestUser, startTestEngine, type TestEngine } from "../testing";
import { bpmnXml, chain, inputs } from "./test-bpmn";
import { VirtualClock } from "./virtual-clock";
import type { WorkflowRuntime } from "./workflow-runtime";

// building-materials `lead-assignment`: territory by region, round-robin inside, fallback, 24 h SLA escalation.
let engine: TestEngine;
let runtime: WorkflowRuntime;
let clock: VirtualClock;
const users: Record<string, { id: string; login: string; token: string }> = {};
const HOUR = 3600_000;

const knex = () => engine.ctx.db.knex;
const idOf = async (table: string, where: Record<string, unknown>) => (await knex()(table).where(where).first("id")).id;

async function newLead(body: Record<string, unknown>) {
  const res = await engine.http("/api/data/lead", { method: "POST", body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await runtime.drainStarts()).failed).toBe(0);
  const instance = await knex()("kehu.wf_instances").where({ key: "lead-assignment", record_id: res.body.id }).first();
  const lead = await knex()("data.lead").where({ id: res.body.id }).first();
  const owner = await knex()("kehu.users").where({ id: lead.owner_id }).first("login");
  return { id: res.body.id as string, instance, owner: owner.login as string, lead };
}
const notes = async (login: string) =>
  (await knex()("kehu.wf_notifications").where({ user_login: login }).orderBy("created_at")).map((n) => n.title);
const openTask = (instanceId: string) =>
  knex()("kehu.wf_tasks").where({ instance_id: instanceId, status: "open" }).first();
const traces = (record: string, as?: string) =>
  engine.http(`/api/workflows/assignments?entity=lead&record=${record}`, as ? { as } : {});

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  runtime.clock = clock;
  await applyTemplate(engine.ctx, "building-materials");
  const sales = await idOf("kehu.roles", { name: "sales" });
  const manager = await idOf("kehu.roles", { name: "sales_manager" });
  const people: Array<[string, string, string]> = [
    ["east1", "SH-XH", sales],
    ["east2", "HZ-BJ", sales],
    ["east3", "SH-XH", sales],
    ["north1", "BJ-CY", sales],
    ["north2", "BJ-CY", sales],
    ["south1", "GZ-TH", sales],
    ["mgr_east", "EAST", manager],
    ["mgr_north", "NORTH", manager],
  ];
  for (const [login, code, role] of people)
    users[login] = await createTestUser(engine.ctx, {
      login,
      departmentId: await idOf("kehu.departments", { code }),
      roleIds: [role],
    });
  await knex()("kehu.users").where({ login: "east3" }).update({ active: false });
}, 240_000);
afterAll(() => engine?.close());

describe("building-materials lead assignment", () => {
  const east: Array<Awaited<ReturnType<typeof newLead>>> = [];

  it("deals a region's leads round-robin among the branch's active salespeople and explains each decision", async () => {
    for (const company of ["恒达建材", "鑫丰装饰", "华美家居"]) east.push(await newLead({ company, region: "East" }));
    expect(east.map((l) => l.owner)).toEqual(["east1", "east2", "east1"]);
    expect(east[0].instance.status).toBe("waiting");
    expect(east[0].lead.status).toBe("assigned");
    expect(new Date(east[0].lead.assigned_at).toISOString()).toBe("2030-03-01T00:00:00.000Z");
    expect(await notes("east1")).toEqual(["New lead: 恒达建材", "New lead: 华美家居"]);
    expect((await openTask(east[0].instance.id)).assignee).toBe("east1");

    const res = await traces(east[0].id);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      workflow: "lead-assignment",
      strategy: "territory",
      chosen: "east1",
      trace: {
        ruleSource: "inline",
        record: { region: "East" },
        rule: "east",
        within: "roundRobin",
        candidates: ["east1", "east2"],
        skipped: [{ login: "east3", reason: "inactive" }],
        manager: "mgr_east",
        entity: "lead",
        recordId: east[0].id,
      },
    });
    expect(res.body.data[0].trace.rules).toEqual([{ name: "east", matched: true }]);
    // The owner may read why; a salesperson of another branch does not see the lead at all.
    expect((await traces(east[0].id, users.east1.token)).status).toBe(200);
    expect((await traces(east[0].id, users.north1.token)).status).toBe(404);
    expect((await engine.http("/api/workflows/assignments?entity=nope&record=x")).status).toBe(400);
  });

  it("sends a lead with no covered region, or a region whose branch has nobody, to the fallback (fewest leads)", async () => {
    const none = await newLead({ company: "无区域客户" });
    // Logins in order east1 (2 leads), east2 (1), north1 (0), north2 (0), south1 (0): north1 holds the fewest first.
    expect(none.owner).toBe("north1");
    const noneTrace = (await traces(none.id)).body.data[0].trace;
    expect(noneTrace.rule).toBe("fallback");
    expect(noneTrace.within).toBe("leastOpen");
    expect(noneTrace.rules.filter((r: { matched: boolean }) => r.matched).map((r: { name: string }) => r.name)).toEqual(
      ["fallback"],
    );
    expect(noneTrace.candidates).toContainEqual({ login: "east1", open: 2 });

    const west = await newLead({ company: "成都客户", region: "West" });
    expect(west.owner).toBe("north2");
    const westTrace = (await traces(west.id)).body.data[0].trace;
    expect(westTrace.rules).toContainEqual({ name: "west", matched: true, note: "no candidate left" });
    expect(westTrace.rule).toBe("fallback");
    // No sales manager above the fallback's pick in WEST: the manager is the nearest up the chosen owner's tree.
    expect(westTrace.manager).toBe("mgr_north");
  });

  it("escalates a lead not contacted within 24 h to the branch manager; first contact in time cancels the timer", async () => {
    const [done, late] = east;
    const task = await openTask(done.instance.id);
    clock.advance(3 * HOUR);
    const completed = await engine.http(`/api/tasks/${task.id}/complete`, {
      method: "POST",
      body: {},
      as: users.east1.token,
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect(completed.body.instance.status).toBe("completed");
    const contacted = await knex()("data.lead").where({ id: done.id }).first();
    expect(contacted.status).toBe("contacted");
    expect(new Date(contacted.first_contact_at).toISOString()).toBe("2030-03-01T03:00:00.000Z");
    expect(await knex()("kehu.wf_timers").where({ instance_id: done.instance.id }).pluck("status")).toEqual([
      "cancelled",
    ]);

    clock.advance(20 * HOUR);
    await runtime.fireDueTimers();
    expect(await notes("mgr_east")).toEqual([]);
    clock.advance(HOUR);
    await runtime.fireDueTimers();
    expect(await notes("mgr_east")).toEqual([
      "Lead not contacted within 24 h: 鑫丰装饰",
      "Lead not contacted within 24 h: 华美家居",
    ]);
    const followUp = await openTask(late.instance.id);
    expect(followUp).toMatchObject({ element_id: "managerFollowUp", assignee: "mgr_east" });
    const ownerTask = await knex()("kehu.wf_tasks")
      .where({ instance_id: late.instance.id, element_id: "firstContact" })
      .first();
    expect(ownerTask.status).toBe("cancelled");
    expect((await knex()("data.lead").where({ id: late.id }).first()).status).toBe("assigned");
    expect(await notes("mgr_north")).toEqual([
      "Lead not contacted within 24 h: 无区域客户",
      "Lead not contacted within 24 h: 成都客户",
    ]);
  });

  it("shares a region's leads evenly among its salespeople when they arrive at once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [row] = await knex()("data.lead")
        .insert({ company: `北方客户 ${i}`, region: "North", status: "new" })
        .returning("id");
      ids.push(row.id);
    }
    await Promise.all(
      ids.map((id) =>
        runtime.start(
          "lead-assignment",
          { record: { id, company: "x", region: "North" } },
          { entity: "lead", recordId: id, actor: "test" },
        ),
      ),
    );
    const owners = await knex()("data.lead as l")
      .join("kehu.users as u", "u.id", "l.owner_id")
      .whereIn("l.id", ids)
      .groupBy("u.login")
      .select("u.login", knex().raw("count(*)::int AS n"))
      .orderBy("u.login");
    expect(owners).toEqual([
      { login: "north1", n: 5 },
      { login: "north2", n: 5 },
    ]);
  });

  it("replays a changed rule table over last month's leads without writing, before it is activated", async () => {
    const proposed = {
      rules: [{ name: "east-flagship", when: { region: "East" }, department: "SH-XH", role: "sales" }],
      fallback: { role: "sales", within: "leastOpen" },
    };
    const ownersBefore = await knex()("data.lead").orderBy("id").pluck("owner_id");
    const counters = await knex()("kehu.wf_assign_counters").orderBy("pool");
    const denied = await engine.http("/api/workflows/assignments/what-if", {
      method: "POST",
      body: { entity: "lead", rules: proposed },
      as: users.east1.token,
    });
    expect(denied.status).toBe(403);
    const bad = await engine.http("/api/workflows/assignments/what-if", {
      method: "POST",
      body: { entity: "lead", rules: { rules: [{ name: "x", when: { regoin: "East" }, role: "sales" }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toContainEqual({ path: "/rules/0/when/regoin", message: "no such field" });

    const res = await engine.http("/api/workflows/assignments/what-if", {
      method: "POST",
      body: { entity: "lead", rules: proposed },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body;
    expect(report.decisions).toBe(15);
    expect(report.until).toBe(clock.now().toISOString());
    const byId = new Map(report.records.map((r: { id: string }) => [r.id, r]));
    expect(east.map((l) => byId.get(l.id))).toMatchObject([
      { title: "恒达建材", before: "east1", after: "east1", rule: "east-flagship", changed: false },
      { title: "鑫丰装饰", before: "east2", after: "east1", rule: "east-flagship", changed: true },
      { title: "华美家居", before: "east1", after: "east1", rule: "east-flagship", changed: false },
    ]);
    const east2 = report.owners.find((o: { login: string }) => o.login === "east2");
    expect(east2).toMatchObject({ before: 1 });
    expect(report.changed).toBe(report.records.filter((r: { changed: boolean }) => r.changed).length);
    const sum = (side: "before" | "after") =>
      report.owners.reduce((s: number, o: Record<string, number>) => s + o[side], 0);
    expect(sum("before")).toBe(15);
    expect(sum("after")).toBe(15);
    // Nothing moved.
    expect(await knex()("data.lead").orderBy("id").pluck("owner_id")).toEqual(ownersBefore);
    expect(await knex()("kehu.wf_assign_counters").orderBy("pool")).toEqual(counters);
    // A window before any decision replays nothing.
    const empty = await engine.http("/api/workflows/assignments/what-if", {
      method: "POST",
      body: { entity: "lead", rules: proposed, until: "2030-01-01T00:00:00Z" },
    });
    expect(empty.body).toMatchObject({ decisions: 0, changed: 0, records: [], owners: [] });
  });

  it("follows a stored rule set once an admin activates it, without a BPMN edit", async () => {
    const table = { rules: [{ name: "east-only-2", when: { region: "East" }, users: ["east2", "ghost"] }] };
    const denied = await engine.http("/api/workflows/assignments/rule-sets/lead-regions", {
      method: "PUT",
      body: table,
      as: users.east1.token,
    });
    expect(denied.status).toBe(403);
    const invalid = await engine.http("/api/workflows/assignments/rule-sets/lead-regions", {
      method: "PUT",
      body: { rules: [{ name: "x", when: {}, within: "random" }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(["/rules/0", "/rules/0/within"]);
    const saved = await engine.http("/api/workflows/assignments/rule-sets/lead-regions", {
      method: "PUT",
      body: table,
    });
    expect(saved.status).toBe(200);
    const lead = await newLead({ company: "新规则客户", region: "East" });
    expect(lead.owner).toBe("east2");
    const trace = (await traces(lead.id)).body.data[0].trace;
    expect(trace).toMatchObject({ ruleSource: "ruleSet:lead-regions", rule: "east-only-2" });
    expect(trace.skipped).toEqual([{ login: "ghost", reason: "no such user" }]);
    // A South lead has no rule and no fallback in the stored table: the step fails, naming the cause.
    const south = await newLead({ company: "广州客户", region: "South" });
    expect(south.instance.status).toBe("failed");
    expect(south.instance.error).toContain("no active user");
  });
  it("keeps the fields its region table tests: dropping lead.region is refused, naming the workflow", async () => {
    const lead = structuredClone(engine.ctx.registry.require("lead"));
    lead.fields = lead.fields.filter((f) => f.name !== "region");
    const refused = await applyEntities(engine.ctx, [lead], { actor: "test", confirm: true }).catch((e) => e);
    expect(refused.code).toBe("impact_refused");
    expect(refused.issues.map((i: { message: string }) => i.message).join("\n")).toMatch(
      /lead-assignment.*lead\.region/,
    );
  });
  it("passes over salespeople at capacity and says so in the trace", async () => {
    const table = {
      rules: [{ name: "north-capped", when: { region: "North" }, department: "NORTH", role: "sales", maxOpen: 6 }],
      fallback: { users: ["east2"] },
    };
    expect(
      (await engine.http("/api/workflows/assignments/rule-sets/lead-regions", { method: "PUT", body: table })).status,
    ).toBe(200);
    // north1 and north2 hold 6 leads each (one fallback lead and 5 of the simultaneous ones).
    const lead = await newLead({ company: "北方大客户", region: "North" });
    expect(lead.owner).toBe("east2");
    const trace = (await traces(lead.id)).body.data[0].trace;
    expect(trace.rules).toEqual([
      { name: "north-capped", matched: true, note: "no candidate left" },
      { name: "fallback", matched: true },
    ]);
    expect(trace.skipped).toEqual([
      { login: "north1", reason: "at capacity (6 open, max 6)" },
      { login: "north2", reason: "at capacity (6 open, max 6)" },
    ]);
  });

  it("refuses to deploy a territory table that is not valid, saying where", async () => {
    const rules = JSON.stringify({ rules: [{ name: "east", when: { region: "East" } }] });
    const xml = bpmnXml(
      `<startEvent id="s"/><serviceTask id="a" camunda:type="external" camunda:topic="assignOwner">
       ${inputs({ strategy: "territory", entity: "lead", rules })}</serviceTask><endEvent id="e"/>${chain("s", "a", "e")}`,
    );
    const res = await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "bad-rules", xml } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: "/input/rules/rules/0", message: "name users, a role or a department to deal among" },
    ]);
  });
});
