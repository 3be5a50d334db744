import { KehuApiError, KehuClient } from "@kehu/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDepartment,
  createTestRole,
  createTestUser,
  defineEntities,
  startTestEngine,
  type TestEngine,
} from "../../testing";
import { VirtualClock } from "../virtual-clock";
import type { WorkflowRuntime } from "../workflow-runtime";
import { deployApprovalProcess } from "./approval-process";
import { referenceApprovalMatrix } from "./reference-approval";

let engine: TestEngine;
let runtime: WorkflowRuntime;
let clock: VirtualClock;
const tokens: Record<string, string> = {};
const HOUR = 3600_000;

const purchase = {
  name: "purchase_request",
  label: { en: "Purchase request", zh: "采购申请" },
  titleField: "title",
  fields: [
    { name: "title", type: "text" as const, required: true },
    { name: "amount", type: "money" as const },
    { name: "region", type: "text" as const },
    { name: "status", type: "text" as const },
  ],
};

const knex = () => engine.ctx.db.knex;
const as = (login: string) => ({ as: tokens[login] });
const post = (path: string, body: unknown, login?: string) =>
  engine.http(path, { method: "POST", body, ...(login ? as(login) : {}) });

async function request(amount: string, currency = "CNY"): Promise<string> {
  const res = await post("/api/data/purchase_request", {
    title: `Buy ${amount}`,
    amount: { amount, currency },
    region: "east",
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function submit(recordId: string, matrix = "purchase_approval", by = "sam") {
  const started = await runtime.start(
    "approval",
    { approvalMatrix: matrix },
    { actor: by, entity: "purchase_request", recordId },
  );
  expect(started.status).toBe("waiting");
  return started.instanceId;
}

/** The open task of an instance: element, candidates (or assignee). */
async function openTask(instanceId: string) {
  const rows = await knex()("kehu.wf_tasks").where({ instance_id: instanceId, status: "open" });
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0] as { id: string; element_id: string; candidate_users: string[]; assignee: string | null } | undefined;
}

async function decide(instanceId: string, login: string, outcome: string) {
  const task = await openTask(instanceId);
  if (!task) throw new Error(`no open task for ${login}`);
  const res = await post(`/api/tasks/${task.id}/complete`, { outcome }, login);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Approves level by level, each time as the single candidate, and returns who was asked in order. */
async function approveAll(instanceId: string): Promise<string[]> {
  const asked: string[] = [];
  for (
    let task = await openTask(instanceId);
    task?.element_id.startsWith("ballot");
    task = await openTask(instanceId)
  ) {
    expect(task.candidate_users).toHaveLength(1);
    asked.push(task.candidate_users[0]);
    await decide(instanceId, task.candidate_users[0], "approve");
  }
  return asked;
}

const statusOf = async (id: string) => (await knex()("data.purchase_request").where({ id }).first()).status;
const instanceStatus = async (id: string) => (await knex()("kehu.wf_instances").where({ id }).first()).status;
const events = async (id: string, prefix = "approval.") =>
  (await knex()("kehu.wf_history").where({ instance_id: id }).orderBy("id")).filter((h) => h.event.startsWith(prefix));

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  runtime.clock = clock;
  await defineEntities(engine.ctx, [purchase]);
  const role = async (name: string) =>
    (await createTestRole(engine.ctx, { name, permissions: { purchase_request: { read: "all" } } })).id;
  const roles = {
    staff: await role("staff"),
    manager: await role("manager"),
    director: await role("director"),
    gm: await role("general_manager"),
  };
  const sales = await createTestDepartment(engine.ctx, { name: "Sales" });
  const east = await createTestDepartment(engine.ctx, { name: "East Sales", parentId: sales.id });
  const people: Array<[string, string[], string]> = [
    ["sam", [roles.staff], east.id],
    ["mia", [roles.manager], sales.id],
    ["max", [roles.staff], sales.id],
    ["dan", [roles.director], sales.id],
    ["gus", [roles.gm], sales.id],
    ["ann", [roles.staff], sales.id],
    ["bob", [roles.staff], sales.id],
    ["cat", [roles.staff], sales.id],
  ];
  for (const [login, roleIds, departmentId] of people)
    tokens[login] = (await createTestUser(engine.ctx, { login, roleIds, departmentId })).token;
  expect(
    (await post("/api/admin/exchange-rates", { currency: "USD", validFrom: "2020-01-01", rate: "7" })).status,
  ).toBe(201);
  expect((await post("/api/workflows/approval-matrices", referenceApprovalMatrix())).status).toBe(201);
  const board = {
    key: "board_approval",
    entity: "purchase_request",
    amountField: "amount",
    status: { field: "status", pending: "pending", approved: "approved", rejected: "rejected" },
    tiers: [
      {
        name: "all",
        levels: [{ name: "board", approvers: { users: ["ann", "bob", "cat"] }, mode: "parallel", quorum: 2 }],
      },
    ],
  };
  expect((await post("/api/workflows/approval-matrices", board)).status).toBe(201);
  const boardOf = (key: string, quorum: "all" | "any", extra = {}) => ({
    ...board,
    key,
    tiers: [{ name: "all", levels: [{ ...board.tiers[0].levels[0], quorum, ...extra }] }],
  });
  expect((await post("/api/workflows/approval-matrices", boardOf("board_all", "all"))).status).toBe(201);
  expect((await post("/api/workflows/approval-matrices", boardOf("board_any", "any"))).status).toBe(201);
  const timed = boardOf("board_sla", "all", { sla: "PT24H", escalateTo: { roles: ["director"] } });
  expect((await post("/api/workflows/approval-matrices", timed)).status).toBe(201);
  await deployApprovalProcess(
    knex(),
    { library: runtime.library, registry: engine.ctx.registry },
    { entity: "purchase_request" },
    "test",
  );
});
afterAll(() => engine?.close());

describe("the reference approval on the generic BPMN", () => {
  it("asks the department manager up to 50,000, + director up to 200,000, + general manager above, then sets approved", async () => {
    const chains: Record<string, string[]> = {};
    for (const amount of ["50000", "50000.01", "200000", "200001"]) {
      const record = await request(amount);
      const instance = await submit(record);
      expect(await statusOf(record)).toBe("pending");
      chains[amount] = await approveAll(instance);
      expect(await instanceStatus(instance)).toBe("completed");
      expect(await statusOf(record)).toBe("approved");
    }
    expect(chains).toEqual({
      "50000": ["mia"],
      "50000.01": ["mia", "dan"],
      "200000": ["mia", "dan"],
      "200001": ["mia", "dan", "gus"],
    });
  });

  it("compares a money amount in the base currency (30,000 USD at 7 is 210,000 CNY: top tier)", async () => {
    const record = await request("30000", "USD");
    const dry = await post("/api/workflows/approval-matrices/purchase_approval/dry-run", {
      recordId: record,
      submitter: "sam",
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      tier: "above 200,000",
      baseAmount: 210000,
      baseCurrency: "CNY",
      submitter: "sam",
    });
    expect(dry.body.levels.map((l: { slots: Array<{ acts: string }> }) => l.slots.map((s) => s.acts))).toEqual([
      ["mia"],
      ["dan"],
      ["gus"],
    ]);
    expect(dry.body.explanation).toContain("amount 30000 USD is 210000 CNY in the base currency");
    expect(dry.body.explanation).toContain('tier "up to 50,000" skipped: amount 210000 is not up to 50000');
    expect(dry.body.levels[0].slots[0].why).toBe("manager of department Sales");
  });

  it("returns a rejection to the submitter, who revises and resubmits until it is approved", async () => {
    const record = await request("120000");
    const instance = await submit(record);
    await decide(instance, "mia", "approve");
    await decide(instance, "dan", "reject");
    expect(await statusOf(record)).toBe("rejected");
    const revise = await openTask(instance);
    expect(revise).toMatchObject({ element_id: "revise", assignee: "sam" });
    expect(
      (await post(`/api/tasks/${revise?.id}/complete`, { outcome: "resubmit", comment: "cheaper supplier" }, "dan"))
        .status,
    ).toBe(404);
    await knex()("data.purchase_request").where({ id: record }).update({ amount: "40000" });
    expect(
      (await post(`/api/tasks/${revise?.id}/complete`, { outcome: "resubmit", comment: "cheaper supplier" }, "sam"))
        .status,
    ).toBe(200);
    expect(await statusOf(record)).toBe("pending");
    expect(await approveAll(instance)).toEqual(["mia"]);
    expect(await statusOf(record)).toBe("approved");
    const run = (await engine.http(`/api/workflows/approvals/${instance}`)).body;
    expect(run).toMatchObject({ round: 2, outcome: "approved", plan: { tier: "up to 50,000" } });
    const voted = (await events(instance))
      .filter((e) => e.event === "approval.voted")
      .map((e) => `${e.detail.by}:${e.detail.outcome}`);
    expect(voted).toEqual(["mia:approve", "dan:reject", "mia:approve"]);
  });

  it("lets the submitter withdraw a rejected request", async () => {
    const record = await request("1000");
    const instance = await submit(record);
    await decide(instance, "mia", "reject");
    const revise = await openTask(instance);
    await post(`/api/tasks/${revise?.id}/complete`, { outcome: "withdraw" }, "sam");
    expect(await instanceStatus(instance)).toBe("completed");
    expect(await statusOf(record)).toBe("withdrawn");
  });

  it("gives the task to the substitute while the approver is out of office, and says so in the history", async () => {
    const away = await post("/api/workflows/substitutes", {
      user: "mia",
      substitute: "max",
      from: "2030-03-01T00:00:00Z",
      to: "2030-03-10T00:00:00Z",
      reason: "holiday",
    });
    expect(away.status).toBe(201);
    const record = await request("2000");
    const instance = await submit(record);
    expect((await openTask(instance))?.candidate_users).toEqual(["max"]);
    const inbox = await engine.http("/api/tasks?view=claimable", as("max"));
    expect(inbox.body.data.map((t: { elementId: string }) => t.elementId)).toEqual(["ballotTimed"]);
    await decide(instance, "max", "approve");
    expect(await statusOf(record)).toBe("approved");
    const substituted = (await events(instance)).find((e) => e.event === "approval.substituted");
    expect(substituted?.detail).toEqual({ level: "manager", approver: "mia", substitute: "max" });
    const voted = (await events(instance)).find((e) => e.event === "approval.voted");
    expect(voted?.detail).toMatchObject({ by: "max", for: "mia" });
    expect((await engine.http(`/api/workflows/substitutes/${away.body.id}`, { method: "DELETE" })).status).toBe(204);
    const back = await submit(await request("2000"));
    expect((await openTask(back))?.candidate_users).toEqual(["mia"]);
  });

  it("gives a later level to the substitute in force when that level opens", async () => {
    const record = await request("120000");
    const instance = await submit(record);
    const from = clock.now().toISOString();
    const to = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const away = await post("/api/workflows/substitutes", { user: "dan", substitute: "gus", from, to });
    expect(away.status).toBe(201);
    expect(await approveAll(instance)).toEqual(["mia", "gus"]);
    expect(await statusOf(record)).toBe("approved");
    const substituted = (await events(instance)).filter((e) => e.event === "approval.substituted");
    expect(substituted.map((e) => e.detail)).toEqual([{ level: "director", approver: "dan", substitute: "gus" }]);
    const run = (await engine.http(`/api/workflows/approvals/${instance}`)).body;
    expect(run.plan.levels[1].slots[0].why).toBe("holds role director; away, so gus acts");
    expect((await engine.http(`/api/workflows/substitutes/${away.body.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("moves an open task to the substitute at once when its approver goes out of office after it was created", async () => {
    const record = await request("2000");
    const instance = await submit(record);
    const task = await openTask(instance);
    expect(task?.candidate_users).toEqual(["mia"]);
    const from = clock.now().toISOString();
    const to = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const away = await post("/api/workflows/substitutes", { user: "mia", substitute: "max", from, to });
    expect(away.status).toBe(201);
    const moved = await openTask(instance);
    expect(moved).toMatchObject({ id: task?.id, candidate_users: ["max"] });
    const inbox = await engine.http("/api/tasks?view=claimable", as("max"));
    expect(inbox.body.data.map((t: { id: string }) => t.id)).toContain(task?.id);
    const redirected = (await events(instance)).find((e) => e.event === "approval.redirected");
    expect(redirected?.detail).toEqual({ level: "manager", approver: "mia", substitute: "max", task: task?.id });
    await decide(instance, "max", "approve");
    expect(await statusOf(record)).toBe("approved");
    const voted = (await events(instance)).find((e) => e.event === "approval.voted");
    expect(voted?.detail).toMatchObject({ by: "max", for: "mia" });
    expect((await engine.http(`/api/workflows/substitutes/${away.body.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("escalates the manager level to the directors when its 24 h SLA passes, on the virtual clock", async () => {
    const record = await request("3000");
    const instance = await submit(record);
    expect((await openTask(instance))?.element_id).toBe("ballotTimed");
    clock.advance(23 * HOUR);
    await runtime.fireDueTimers();
    expect((await openTask(instance))?.candidate_users).toEqual(["mia"]);
    clock.advance(HOUR);
    await runtime.fireDueTimers();
    const escalated = await openTask(instance);
    expect(escalated).toMatchObject({ element_id: "ballot", candidate_users: ["mia", "dan"] });
    const notes = await knex()("kehu.wf_notifications").where({ instance_id: instance }).pluck("user_login");
    expect(notes.sort()).toEqual(["dan", "mia"]);
    expect((await events(instance)).map((e) => e.event)).toContain("approval.escalated");
    await decide(instance, "dan", "approve");
    expect(await statusOf(record)).toBe("approved");
    const pending = await knex()("kehu.wf_timers").where({ instance_id: instance, status: "pending" });
    expect(pending).toEqual([]);
  });

  it("blocks an approval whose level has nobody to ask, and goes on after the fix and a retry", async () => {
    const auditor = await createTestRole(engine.ctx, { name: "auditor" });
    const audit = {
      key: "audit_approval",
      entity: "purchase_request",
      amountField: "amount",
      tiers: [{ name: "all", levels: [{ name: "audit", approvers: { roles: ["auditor"] } }] }],
    };
    expect((await post("/api/workflows/approval-matrices", audit)).status).toBe(201);
    const record = await request("700");
    const started = await runtime.start(
      "approval",
      { approvalMatrix: "audit_approval" },
      { actor: "sam", entity: "purchase_request", recordId: record },
    );
    expect(started).toMatchObject({ status: "failed" });
    expect(started.error).toContain('level "audit" has no approver');
    await createTestUser(engine.ctx, { login: "ava", roleIds: [auditor.id] });
    expect(await runtime.retry(started.instanceId, "system")).toMatchObject({ status: "waiting" });
    expect((await openTask(started.instanceId))?.candidate_users).toEqual(["ava"]);
  });

  it("uses changed tiers for the next instance without a new deployment", async () => {
    const changed = referenceApprovalMatrix();
    changed.tiers[0].upTo = 10000;
    changed.tiers[1].above = 10000;
    const put = await engine.http("/api/workflows/approval-matrices/purchase_approval", {
      method: "PUT",
      body: changed,
    });
    expect(put.status).toBe(200);
    expect(put.body.revision).toBe(2);
    const instance = await submit(await request("30000"));
    expect(await approveAll(instance)).toEqual(["mia", "dan"]);
    const versions = await knex()("kehu.wf_deployments").where({ key: "approval" }).pluck("version");
    expect(versions).toEqual([1]);
    const restored = await engine.http("/api/workflows/approval-matrices/purchase_approval", {
      method: "PUT",
      body: referenceApprovalMatrix(),
    });
    expect(restored.status).toBe(200);
    expect(await approveAll(await submit(await request("30000")))).toEqual(["mia"]);
  });
});

describe("a parallel level", () => {
  type Row = { id: string; element_id: string; assignee: string | null; status: string };
  const tasksOf = async (instanceId: string, status = "open"): Promise<Row[]> =>
    knex()("kehu.wf_tasks").where({ instance_id: instanceId, status }).orderBy("assignee");
  const mine = async (login: string, instanceId: string) =>
    ((await engine.http("/api/tasks?view=mine", as(login))).body.data as Array<{ id: string; instanceId: string }>)
      .filter((t) => t.instanceId === instanceId)
      .map((t) => t.id);
  async function decideOwn(instanceId: string, login: string, outcome: string) {
    const [id] = await mine(login, instanceId);
    if (!id) throw new Error(`no task of ${login}`);
    const res = await post(`/api/tasks/${id}/complete`, { outcome }, login);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return id;
  }
  const withdrawn = async (instanceId: string) =>
    (await knex()("kehu.wf_history").where({ instance_id: instanceId, event: "withdrawn" })).map((h) => h.actor);

  it("gives each of three all-of approvers their own task at once, and passes when all three approved", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_all");
    const open = await tasksOf(instance);
    expect(open.map((t) => [t.element_id, t.assignee])).toEqual([
      ["ballotParallel", "ann"],
      ["ballotParallel", "bob"],
      ["ballotParallel", "cat"],
    ]);
    for (const login of ["ann", "bob", "cat"]) expect(await mine(login, instance)).toHaveLength(1);
    const catsTask = await decideOwn(instance, "cat", "approve");
    expect((await tasksOf(instance)).map((t) => t.id)).toEqual(open.filter((t) => t.id !== catsTask).map((t) => t.id));
    const annsTask = open.find((t) => t.assignee === "ann")?.id;
    expect((await post(`/api/tasks/${annsTask}/complete`, { outcome: "approve" }, "cat")).status).toBe(404);
    await decideOwn(instance, "ann", "approve");
    expect(await statusOf(record)).toBe("pending");
    await decideOwn(instance, "bob", "approve");
    expect(await statusOf(record)).toBe("approved");
    const voted = (await events(instance)).filter((e) => e.event === "approval.voted").map((e) => e.detail.for);
    expect(voted).toEqual(["cat", "ann", "bob"]);
  });

  it("passes an any-of level with the first approval and withdraws the others' tasks, in the history too", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_any");
    expect(await tasksOf(instance)).toHaveLength(3);
    await decideOwn(instance, "bob", "approve");
    expect(await statusOf(record)).toBe("approved");
    expect(await tasksOf(instance)).toEqual([]);
    expect((await tasksOf(instance, "cancelled")).map((t) => t.assignee)).toEqual(["ann", "cat"]);
    expect(await mine("ann", instance)).toEqual([]);
    expect(await mine("cat", instance)).toEqual([]);
    const history = await knex()("kehu.wf_history").where({ instance_id: instance, event: "withdrawn" });
    expect(history.map((h) => [h.element_id, h.detail.assignee]).sort()).toEqual([
      ["ballotParallel", "ann"],
      ["ballotParallel", "cat"],
    ]);
  });

  it("passes 2 of 3 after one rejection and one approval, then one more approval", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_approval");
    await decideOwn(instance, "ann", "reject");
    await decideOwn(instance, "bob", "approve");
    expect(await statusOf(record)).toBe("pending");
    expect((await tasksOf(instance)).map((t) => t.assignee)).toEqual(["cat"]);
    await decideOwn(instance, "cat", "approve");
    expect(await statusOf(record)).toBe("approved");
  });

  it("rejects 2 of 3 at the second rejection and takes the third approver's task away at once", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_approval");
    await decideOwn(instance, "ann", "reject");
    await decideOwn(instance, "cat", "reject");
    expect(await statusOf(record)).toBe("rejected");
    expect(await mine("bob", instance)).toEqual([]);
    expect(await tasksOf(instance)).toMatchObject([{ element_id: "revise", assignee: "sam" }]);
    expect(await withdrawn(instance)).toHaveLength(1);
    const run = (await engine.http(`/api/workflows/approvals/${instance}`)).body;
    expect(run.state.reason).toBe('quorum not met at level 1 "board": 0 approved, 2 rejected, 2 of 3 needed');
  });

  it("sends it back to the submitter at the first return and withdraws the other tasks", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_all");
    await decideOwn(instance, "bob", "approve");
    await decideOwn(instance, "cat", "return");
    expect(await statusOf(record)).toBe("rejected");
    expect(await tasksOf(instance)).toMatchObject([{ element_id: "revise", assignee: "sam" }]);
    expect(await mine("ann", instance)).toEqual([]);
    const run = (await engine.http(`/api/workflows/approvals/${instance}`)).body;
    expect(run.state.reason).toBe('cat returned it at level 1 "board"');
  });

  it("gives the task of an approver who is out of office to their substitute, counted for the approver", async () => {
    const from = clock.now().toISOString();
    const to = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const away = await post("/api/workflows/substitutes", { user: "ann", substitute: "max", from, to });
    expect(away.status).toBe(201);
    const record = await request("5000");
    const instance = await submit(record, "board_all");
    expect((await tasksOf(instance)).map((t) => t.assignee)).toEqual(["bob", "cat", "max"]);
    expect(await mine("ann", instance)).toEqual([]);
    await decideOwn(instance, "max", "approve");
    await decideOwn(instance, "bob", "approve");
    await decideOwn(instance, "cat", "approve");
    expect(await statusOf(record)).toBe("approved");
    const voted = (await events(instance)).filter((e) => e.event === "approval.voted");
    expect(voted.find((e) => e.detail.by === "max")?.detail).toMatchObject({ for: "ann" });
    expect((await engine.http(`/api/workflows/substitutes/${away.body.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("moves an approver's own open task to their substitute when they go out of office meanwhile", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_all");
    const [bobsTask] = await mine("bob", instance);
    const from = clock.now().toISOString();
    const to = new Date(clock.now().getTime() + 48 * HOUR).toISOString();
    const away = await post("/api/workflows/substitutes", { user: "bob", substitute: "max", from, to });
    expect(away.status).toBe(201);
    expect(await mine("bob", instance)).toEqual([]);
    expect(await mine("max", instance)).toEqual([bobsTask]);
    for (const login of ["ann", "max", "cat"]) await decideOwn(instance, login, "approve");
    expect(await statusOf(record)).toBe("approved");
    const voted = (await events(instance)).filter((e) => e.event === "approval.voted");
    expect(voted.find((e) => e.detail.by === "max")?.detail).toMatchObject({ for: "bob" });
    expect((await engine.http(`/api/workflows/substitutes/${away.body.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("counts a delegated vote for the approver who delegated their task", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_approval");
    const [id] = await mine("bob", instance);
    expect((await post(`/api/tasks/${id}/delegate`, { to: "max" }, "bob")).status).toBe(200);
    expect((await post(`/api/tasks/${id}/complete`, { outcome: "approve" }, "max")).status).toBe(200);
    expect((await tasksOf(instance)).map((t) => t.assignee)).toEqual(["ann", "cat"]);
    await decideOwn(instance, "cat", "approve");
    expect(await statusOf(record)).toBe("approved");
    const voted = (await events(instance)).filter((e) => e.event === "approval.voted");
    expect(voted.find((e) => e.detail.by === "max")?.detail).toMatchObject({ for: "bob", outcome: "approve" });
  });

  it("escalates after its SLA: the pending approvers and the escalation target each get a task, the target decides", async () => {
    const record = await request("5000");
    const instance = await submit(record, "board_sla");
    expect((await tasksOf(instance)).map((t) => t.element_id)).toEqual(Array(3).fill("ballotParallelTimed"));
    await decideOwn(instance, "ann", "approve");
    clock.advance(24 * HOUR);
    await runtime.fireDueTimers();
    expect((await tasksOf(instance)).map((t) => [t.element_id, t.assignee])).toEqual([
      ["ballotParallel", "bob"],
      ["ballotParallel", "cat"],
      ["ballotParallel", "dan"],
    ]);
    expect((await events(instance)).map((e) => e.event)).toContain("approval.escalated");
    await decideOwn(instance, "dan", "approve");
    expect(await statusOf(record)).toBe("approved");
    expect(await tasksOf(instance)).toEqual([]);
  });
});

describe("/api/workflows/approval-matrices and /substitutes", () => {
  it("refuses an invalid matrix with problem+json naming each path", async () => {
    const bad = referenceApprovalMatrix();
    bad.key = "bad_one";
    bad.amountField = "title";
    bad.tiers[1].upTo = 100;
    bad.tiers[2].levels[2].approvers = { roles: ["pope"] };
    bad.tiers[0].levels[0].sla = "P1M";
    const res = await post("/api/workflows/approval-matrices", bad);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "/amountField",
      "/tiers/0/levels/0/sla",
      "/tiers/1/upTo",
      "/tiers/2/levels/2/approvers/roles/0",
    ]);
    const shape = await post("/api/workflows/approval-matrices", {
      ...bad,
      tiers: [{ name: "x", levels: [{ name: "l", approvers: {}, quorum: 0 }] }],
    });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["/tiers/0/levels/0/approvers", "/tiers/0/levels/0/quorum"]),
    );
    expect((await post("/api/workflows/approval-matrices", referenceApprovalMatrix())).status).toBe(409);
  });

  it("registers the fields a matrix reads in the impact graph, so dropping one is refused naming the matrix", async () => {
    const { body } = await engine.http("/api/meta/entities/purchase_request");
    const without = {
      ...body.definition,
      fields: body.definition.fields.filter((f: { name: string }) => f.name !== "region"),
    };
    const res = await engine.http("/api/meta/entities/purchase_request?confirm=1", { method: "PUT", body: without });
    expect(res.status).toBe(409);
    const messages = res.body.errors.map((e: { message: string }) => e.message).join("\n");
    expect(messages).toContain('approval matrix "purchase_approval" reads purchase_request.region');
  });

  it("picks a tier by dimension values and explains the tiers it skipped", async () => {
    const regional = {
      key: "regional",
      entity: "purchase_request",
      amountField: "amount",
      dimensions: ["region"],
      tiers: [
        { name: "west", when: { region: ["west"] }, levels: [{ name: "west lead", approvers: { users: ["ann"] } }] },
        { name: "elsewhere", levels: [{ name: "lead", approvers: { users: ["bob"] } }] },
      ],
    };
    expect((await post("/api/workflows/approval-matrices", regional)).status).toBe(201);
    const record = await request("100");
    const east = await post("/api/workflows/approval-matrices/regional/dry-run", {
      recordId: record,
      submitter: "sam",
    });
    expect(east.body).toMatchObject({ tier: "elsewhere", dimensions: { region: "east" } });
    expect(east.body.explanation).toContain('tier "west" skipped: region "east" not in [west]');
    await knex()("data.purchase_request").where({ id: record }).update({ region: "west" });
    const west = await post("/api/workflows/approval-matrices/regional/dry-run", {
      recordId: record,
      submitter: "sam",
    });
    expect(west.body.levels[0].slots.map((s: { acts: string }) => s.acts)).toEqual(["ann"]);
    expect((await engine.http("/api/workflows/approval-matrices/regional", { method: "DELETE" })).status).toBe(204);
    const again = await engine.http("/api/workflows/approval-matrices/regional", { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 404, detail: 'No approval matrix "regional"' });
  });

  it("is reachable through @kehu/client, errors included", async () => {
    const kehu = new KehuClient({ baseUrl: engine.server.url, token: engine.admin.token });
    const mini = {
      entity: "purchase_request",
      amountField: "amount",
      tiers: [{ name: "any", levels: [{ name: "one", approvers: { users: ["bob"] } }] }],
    };
    expect(await kehu.approvals.matrices.create({ key: "mini", ...mini })).toMatchObject({ key: "mini", revision: 1 });
    const replaced = await kehu.approvals.matrices.replace("mini", { ...mini, enabled: false });
    expect(replaced).toMatchObject({ revision: 2, enabled: false });
    const plan = await kehu.approvals.matrices.dryRun("mini", { recordId: await request("10"), submitter: "sam" });
    expect(plan.levels[0].slots.map((s) => s.acts)).toEqual(["bob"]);
    const error = await kehu.approvals.substitutes
      .create({ user: "bob", substitute: "bob", from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(KehuApiError);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(["/substitute"]);
    await kehu.approvals.matrices.remove("mini");
    expect((await kehu.approvals.matrices.list("purchase_request")).map((m) => m.key)).not.toContain("mini");
  });

  it("is for administrators only", async () => {
    expect((await engine.http("/api/workflows/approval-matrices", as("sam"))).status).toBe(403);
    expect((await post("/api/workflows/substitutes", {}, "sam")).status).toBe(403);
  });

  it("refuses a substitute for an unknown user or with the end before the start", async () => {
    const res = await post("/api/workflows/substitutes", {
      user: "nobody",
      substitute: "mia",
      from: "2030-01-02T00:00:00Z",
      to: "2030-01-01T00:00:00Z",
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/to", "/user"]);
  });

  it("dry-runs a changed definition before it is saved", async () => {
    const record = await request("30000");
    const changed = referenceApprovalMatrix();
    changed.tiers[0].upTo = 10000;
    changed.tiers[1].above = 10000;
    const res = await post("/api/workflows/approval-matrices/purchase_approval/dry-run", {
      recordId: record,
      submitter: "sam",
      definition: changed,
    });
    expect(res.body.tier).toBe("up to 200,000");
    const saved = await post("/api/workflows/approval-matrices/purchase_approval/dry-run", {
      recordId: record,
      submitter: "sam",
    });
    expect(saved.body.tier).toBe("up to 50,000");
  });
});
