import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyTemplate, createTestUser, startTestEngine, type TestEngine } from "../testing";
import { installedTriggers } from "./installed-triggers";
import type { Trigger } from "./triggers";
import { VirtualClock } from "./virtual-clock";
import type { WorkflowRuntime } from "./workflow-runtime";

// building-materials `contract-billing`, `settlement-reminder`, `collection-applied` and `billing-statement`.
let engine: TestEngine;
let runtime: WorkflowRuntime;
let clock: VirtualClock;
let triggers: Record<string, Trigger[]>;
const users: Record<string, { id: string; login: string; token: string }> = {};

const knex = () => engine.ctx.db.knex;
const idOf = async (table: string, where: Record<string, unknown>) => (await knex()(table).where(where).first("id")).id;
const cny = (amount: string) => ({ amount, currency: "CNY" });

async function post(entity: string, body: Record<string, unknown>, as?: string) {
  const res = await engine.http(`/api/data/${entity}`, { method: "POST", body, ...(as ? { as } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await runtime.drainStarts()).failed).toBe(0);
  return res.body;
}
async function patch(entity: string, id: string, body: Record<string, unknown>, as?: string) {
  const res = await engine.http(`/api/data/${entity}/${id}`, { method: "PATCH", body, ...(as ? { as } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect((await runtime.drainStarts()).failed).toBe(0);
  return res.body;
}
const notes = async (login: string) =>
  (await knex()("kehu.wf_notifications").where({ user_login: login }).orderBy("created_at").orderBy("id")).map((n) => ({
    title: n.title,
    body: n.body,
  }));
const titles = async (login: string) => (await notes(login)).map((n) => n.title);
const lineStatus = async (id: string) => (await knex()("data.settlement_plan").where({ id }).first()).status;
const lineInstance = (id: string) =>
  knex()("kehu.wf_instances")
    .where({ key: "settlement-reminder", business_key: `settlement_plan:${id}` })
    .first();
/** Moves the virtual clock to a moment and fires every timer due by then. */
async function at(iso: string) {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
  await runtime.fireDueTimers();
}

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  runtime.clock = clock;
  await applyTemplate(engine.ctx, "building-materials");
  triggers = await installedTriggers(engine.ctx);
  const sales = await idOf("kehu.roles", { name: "sales" });
  const manager = await idOf("kehu.roles", { name: "sales_manager" });
  for (const [login, code, role] of [
    ["rep1", "SH-XH", sales],
    ["rep2", "BJ-CY", sales],
    ["mgr_east", "EAST", manager],
    ["mgr_north", "NORTH", manager],
  ])
    users[login] = await createTestUser(engine.ctx, {
      login,
      departmentId: await idOf("kehu.departments", { code }),
      roleIds: [role],
    });
}, 240_000);
afterAll(() => engine?.close());

describe("building-materials contract billing", () => {
  let contract: { id: string; number: string };
  let other: { id: string; number: string };
  const lines: Record<string, string> = {};

  it("watches every settlement plan line once the contract is signed; a line due within 7 days is reminded at once", async () => {
    const customer = await post("customer", { name: "上海恒达建材有限公司", code: "C9001" }, users.rep1.token);
    contract = await post(
      "contract",
      { title: "恒达 瓷砖 供货合同", customer: customer.id, amount: cny("100000.00") },
      users.rep1.token,
    );
    for (const [title, due_on, amount] of [
      ["第一期", "2030-03-20", "30000.00"],
      ["第二期", "2030-04-10", "40000.00"],
      ["首付款", "2030-03-05", "30000.00"],
    ])
      lines[title] = (
        await post("settlement_plan", { contract: contract.id, title, due_on, amount: cny(amount) }, users.rep1.token)
      ).id;
    // Nothing happens for a draft contract.
    expect(await knex()("kehu.wf_instances").where({ key: "contract-billing" })).toEqual([]);
    await patch("contract", contract.id, { status: "active", signed_on: "2030-03-01" }, users.rep1.token);
    const billing = await knex()("kehu.wf_instances").where({ key: "contract-billing" });
    expect(billing.map((b) => [b.record_id, b.status, b.variables.lines.started])).toEqual([
      [contract.id, "completed", 3],
    ]);
    for (const id of Object.values(lines)) expect((await lineInstance(id)).status).toBe("waiting");
    // The lines' own trigger fired while the contract was a draft: those instances ended without watching.
    const early = await knex()("kehu.wf_instances").where({ key: "settlement-reminder" }).whereNull("business_key");
    expect(early.map((i) => i.status)).toEqual(["completed", "completed", "completed"]);
    // Another update of the signed contract starts nothing again.
    await patch("contract", contract.id, { title: "恒达 瓷砖 供货合同(修订)" }, users.rep1.token);
    expect(await knex()("kehu.wf_instances").where({ key: "contract-billing" })).toHaveLength(1);

    expect(await titles("rep1")).toEqual([`Collection due on 2030-03-05: ${contract.number} 首付款`]);
    expect(await lineStatus(lines.首付款)).toBe("reminded");
    expect(await lineStatus(lines.第一期)).toBe("planned");
    const reminder = await knex()("kehu.wf_timers")
      .where({ instance_id: (await lineInstance(lines.第一期)).id })
      .first();
    expect(new Date(reminder.due_at).toISOString()).toBe("2030-03-13T01:00:00.000Z");

    other = await post(
      "contract",
      { title: "鑫丰 工程集采", customer: customer.id, amount: cny("50000.00"), status: "active" },
      users.rep2.token,
    );
    await post("contract", { title: "草稿合同", customer: customer.id, amount: cny("8000.00") }, users.rep1.token);
  });

  it("closes a line paid before its reminder, and sends no reminder for it", async () => {
    await at("2030-03-02T02:00:00Z");
    await post("collection", {
      contract: contract.id,
      settlement_plan: lines.第一期,
      received_on: "2030-03-02",
      amount: cny("30000.00"),
      status: "confirmed",
    });
    expect(await lineStatus(lines.第一期)).toBe("paid");
    // A part payment leaves its line open.
    await post("collection", {
      contract: contract.id,
      settlement_plan: lines.首付款,
      received_on: "2030-03-02",
      amount: cny("10000.00"),
      status: "confirmed",
    });
    expect(await lineStatus(lines.首付款)).toBe("reminded");

    await at("2030-03-13T01:00:00Z");
    expect((await lineInstance(lines.第一期)).status).toBe("completed");
    expect(await titles("rep1")).not.toContain(`Collection due on 2030-03-20: ${contract.number} 第一期`);
  });

  it("flags a line overdue the day after its due date when it is not collected", async () => {
    expect(await lineStatus(lines.首付款)).toBe("overdue");
    const overdue = await notes("rep1");
    expect(overdue.map((n) => n.title)).toEqual([
      `Collection due on 2030-03-05: ${contract.number} 首付款`,
      `Collection overdue: ${contract.number} 首付款`,
    ]);
    expect(overdue[1].body).toContain("still to collect 20000");
  });

  it("sends each owner a monthly statement of outstanding amounts, and each manager the team's totals", async () => {
    await at("2030-04-01T01:00:00Z");
    const [statement] = triggers["billing-statement"];
    const outcome = await runtime.startScheduled(statement.id);
    expect(outcome?.status).toBe("completed");
    const title = "Outstanding collections as of 2030-04-01 未回款月报";
    const last = async (login: string) => (await notes(login)).filter((n) => n.title.startsWith(title));
    // Contract 100,000 with 40,000 collected; the draft contract is not in performance and is left out.
    expect(await last("rep1")).toEqual([{ title, body: `${contract.number}: 60,000.00\nTotal (1): 60,000.00` }]);
    expect(await last("rep2")).toEqual([{ title, body: `${other.number}: 50,000.00\nTotal (1): 50,000.00` }]);
    expect(await last("mgr_east")).toEqual([
      { title: `${title} — team`, body: "rep1: 60,000.00 (1)\nTeam total: 60,000.00" },
    ]);
    expect(await last("mgr_north")).toEqual([
      { title: `${title} — team`, body: "rep2: 50,000.00 (1)\nTeam total: 50,000.00" },
    ]);
  });

  it("reminds the owner 7 days before a due date, and not a day earlier", async () => {
    await at("2030-04-03T00:59:00Z");
    expect(await lineStatus(lines.第二期)).toBe("planned");
    await at("2030-04-03T01:00:00Z");
    expect(await lineStatus(lines.第二期)).toBe("reminded");
    expect((await titles("rep1")).at(-1)).toBe(`Collection due on 2030-04-10: ${contract.number} 第二期`);
    await at("2030-04-11T01:00:00Z");
    expect(await lineStatus(lines.第二期)).toBe("overdue");
  });

  it("closes lines as collections cover them and completes the contract when nothing is outstanding", async () => {
    await at("2030-04-15T03:00:00Z");
    await post("collection", {
      contract: contract.id,
      settlement_plan: lines.第二期,
      received_on: "2030-04-15",
      amount: cny("40000.00"),
      status: "pending",
    });
    expect(await lineStatus(lines.第二期)).toBe("overdue");
    const pending = await knex()("data.collection").where({ settlement_plan: lines.第二期 }).first();
    await patch("collection", pending.id, { status: "confirmed" });
    expect(await lineStatus(lines.第二期)).toBe("paid");
    expect((await knex()("data.contract").where({ id: contract.id }).first()).status).toBe("active");
    await post("collection", {
      contract: contract.id,
      settlement_plan: lines.首付款,
      received_on: "2030-04-15",
      amount: cny("20000.00"),
      status: "confirmed",
    });
    expect(await lineStatus(lines.首付款)).toBe("paid");
    expect((await knex()("data.contract").where({ id: contract.id }).first()).status).toBe("completed");
    // The overdue lines' weekly checks find them paid and end.
    await at("2030-04-30T00:00:00Z");
    for (const id of Object.values(lines)) expect((await lineInstance(id)).status).toBe("completed");
    const pendingTimers = await knex()("kehu.wf_timers").where({ status: "pending" });
    expect(pendingTimers).toEqual([]);
  });
  it("watches a line added after signing, and moves its reminder when its due date is postponed", async () => {
    const line = await post(
      "settlement_plan",
      { contract: other.id, title: "尾款", due_on: "2030-06-10", amount: cny("50000.00") },
      users.rep2.token,
    );
    const instance = await knex()("kehu.wf_instances")
      .where({ key: "settlement-reminder", record_id: line.id })
      .first();
    expect(instance.status).toBe("waiting");
    const pending = () =>
      knex()("kehu.wf_timers").where({ instance_id: instance.id, status: "pending" }).pluck("due_at");
    expect((await pending()).map((d) => new Date(d).toISOString())).toEqual(["2030-06-03T01:00:00.000Z"]);
    await patch("settlement_plan", line.id, { due_on: "2030-06-24" }, users.rep2.token);
    await at("2030-06-03T01:00:00Z");
    expect(await lineStatus(line.id)).toBe("planned");
    expect((await pending()).map((d) => new Date(d).toISOString())).toEqual(["2030-06-17T01:00:00.000Z"]);
    await at("2030-06-17T01:00:00Z");
    expect(await lineStatus(line.id)).toBe("reminded");
    expect((await titles("rep2")).at(-1)).toBe(`Collection due on 2030-06-24: ${other.number} 尾款`);
  });
  it("stops checking an overdue line once its contract is terminated", async () => {
    const customer = await post("customer", { name: "成都远景装饰", code: "C9003" }, users.rep1.token);
    const lost = await post(
      "contract",
      { title: "远景 卫浴 合同", customer: customer.id, amount: cny("20000.00"), status: "active" },
      users.rep1.token,
    );
    const line = await post(
      "settlement_plan",
      { contract: lost.id, title: "全款", due_on: "2030-06-20", amount: cny("20000.00") },
      users.rep1.token,
    );
    await at("2030-06-21T01:00:00Z");
    expect(await lineStatus(line.id)).toBe("overdue");
    await patch("contract", lost.id, { status: "terminated" }, users.rep1.token);
    await at("2030-06-28T01:00:00Z");
    const instance = await knex()("kehu.wf_instances")
      .where({ key: "settlement-reminder", record_id: line.id })
      .first();
    expect(instance.status).toBe("completed");
    expect(await knex()("kehu.wf_timers").where({ instance_id: instance.id, status: "pending" })).toEqual([]);
    expect(await lineStatus(line.id)).toBe("overdue");
  });
});
