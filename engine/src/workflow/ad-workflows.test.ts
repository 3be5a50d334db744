import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyTemplate, createTestUser, startTestEngine, type TestEngine } from "../testing";
import { VirtualClock } from "./virtual-clock";
import type { WorkflowRuntime } from "./workflow-runtime";

// auto-dealer `lead-assignment` (brand and region, round-robin, 24 h SLA) and `service-reminder` (6 months).
let engine: TestEngine;
let runtime: WorkflowRuntime;
let clock: VirtualClock;
const users: Record<string, { id: string; login: string; token: string }> = {};
const HOUR = 3600_000;

const knex = () => engine.ctx.db.knex;
async function post(entity: string, body: Record<string, unknown>, as?: string) {
  const res = await engine.http(`/api/data/${entity}`, { method: "POST", body, ...(as ? { as } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect((await runtime.drainStarts()).failed).toBe(0);
  return res.body;
}
async function lead(body: Record<string, unknown>) {
  const created = await post("lead", body);
  const row = await knex()("data.lead as l")
    .join("kehu.users as u", "u.id", "l.owner_id")
    .where("l.id", created.id)
    .first("u.login", "l.stage");
  const instance = await knex()("kehu.wf_instances").where({ key: "lead-assignment", record_id: created.id }).first();
  return { id: created.id as string, owner: row.login as string, stage: row.stage as string, instance };
}
const titles = async (login: string) =>
  (await knex()("kehu.wf_notifications").where({ user_login: login }).orderBy("created_at")).map((n) => n.title);
const at = async (iso: string) => {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
  await runtime.fireDueTimers();
};

beforeAll(async () => {
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  runtime.clock = clock;
  await applyTemplate(engine.ctx, "auto-dealer");
  // The template's own 4S stores (the rule table names them by code) and roles.
  const idOf = async (table: string, where: Record<string, unknown>) =>
    (await knex()(table).where(where).first("id")).id as string;
  const stores: Record<string, string> = {};
  for (const code of ["BYD-E", "TOYOTA-N", "TOYOTA-E"]) stores[code] = await idOf("kehu.departments", { code });
  const consultant = { id: await idOf("kehu.roles", { name: "sales_consultant" }) };
  const manager = { id: await idOf("kehu.roles", { name: "sales_manager" }) };
  for (const [login, code, role] of [
    ["byd1", "BYD-E", consultant.id],
    ["byd2", "BYD-E", consultant.id],
    ["byd_mgr", "BYD-E", manager.id],
    ["toyn1", "TOYOTA-N", consultant.id],
    ["toye1", "TOYOTA-E", consultant.id],
    ["toyota_mgr", "TOYOTA-N", manager.id],
  ] as const)
    users[login] = await createTestUser(engine.ctx, { login, departmentId: stores[code], roleIds: [role] });
}, 240_000);
afterAll(() => engine?.close());

describe("auto-dealer lead assignment", () => {
  const leads: Array<Awaited<ReturnType<typeof lead>>> = [];

  it("routes a lead to the store selling its brand in its region, round-robin, the narrower rule first", async () => {
    leads.push(await lead({ name: "张伟", brand_interest: "byd", region: "East", source: "web" }));
    leads.push(await lead({ name: "王芳", brand_interest: "byd", region: "Central", source: "showroom" }));
    leads.push(await lead({ name: "李娜", brand_interest: "toyota", region: "North", source: "phone" }));
    leads.push(await lead({ name: "刘洋", brand_interest: "toyota", region: "South", source: "referral" }));
    expect(leads.map((l) => [l.owner, l.stage])).toEqual([
      ["byd1", "assigned"],
      ["byd2", "assigned"],
      ["toyn1", "assigned"],
      ["toye1", "assigned"],
    ]);
    const trace = (await engine.http(`/api/workflows/assignments?entity=lead&record=${leads[3].id}`)).body.data[0]
      .trace;
    expect(trace.record).toEqual({ brand_interest: "toyota", region: "South" });
    expect(trace.rules.map((r: { name: string; matched: boolean }) => [r.name, r.matched])).toEqual([
      ["byd-east", false],
      ["byd-south", false],
      ["toyota-north", false],
      ["toyota", true],
    ]);
  });

  it("sends a brand no store sells in the region to the consultant with the fewest leads", async () => {
    const bmw = await lead({ name: "陈静", brand_interest: "bmw", region: "East" });
    const trace = (await engine.http(`/api/workflows/assignments?entity=lead&record=${bmw.id}`)).body.data[0].trace;
    expect(trace.rules).toContainEqual({ name: "bmw", matched: true, note: "no candidate left" });
    expect(trace.rule).toBe("fallback");
    // Each consultant holds one lead; the first by login wins the tie.
    expect(bmw.owner).toBe("byd1");
  });

  it("escalates to the store's sales manager after 24 h without first contact; contact in time does not", async () => {
    const [byd, , toyota] = leads;
    const task = await knex()("kehu.wf_tasks").where({ instance_id: toyota.instance.id, status: "open" }).first();
    const done = await engine.http(`/api/tasks/${task.id}/complete`, {
      method: "POST",
      body: {},
      as: users.toyn1.token,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await knex()("data.lead").where({ id: toyota.id }).first()).stage).toBe("contacted");
    clock.advance(24 * HOUR - 1);
    await runtime.fireDueTimers();
    expect(await titles("byd_mgr")).toEqual([]);
    clock.advance(1);
    await runtime.fireDueTimers();
    expect(await titles("byd_mgr")).toEqual([
      "Lead not contacted within 24 h: 张伟",
      "Lead not contacted within 24 h: 王芳",
      // TOYOTA-E has no sales manager and neither has the group HQ above it: the first sales manager by login steps in.
      "Lead not contacted within 24 h: 刘洋",
      "Lead not contacted within 24 h: 陈静",
    ]);
    expect(await titles("toyota_mgr")).toEqual([]);
    const followUp = await knex()("kehu.wf_tasks").where({ instance_id: byd.instance.id, status: "open" }).first();
    expect(followUp).toMatchObject({ element_id: "managerFollowUp", assignee: "byd_mgr" });
  });
});

describe("auto-dealer service reminder", () => {
  it("reminds the delivery's owner to book the first service 6 months after delivery, not before", async () => {
    const model = await post("vehicle_model", { code: "BYD-HAN-EV", name: "汉 EV", brand: "byd" });
    const vehicle = await post("vehicle", { vin: "LGXCE4CB5N0123456", vehicle_model: model.id });
    const customer = await post("customer", { name: "赵磊" });
    const order = await post("sales_order", {
      customer: customer.id,
      vehicle: vehicle.id,
      ordered_on: "2030-02-20",
      amount: { amount: "209800.00", currency: "CNY" },
    });
    const delivery = await post(
      "delivery",
      { sales_order: order.id, vehicle: vehicle.id, delivered_on: "2030-03-02", mileage_km: 12 },
      users.byd2.token,
    );
    // An old delivery (imported history) whose first service is past starts nothing.
    await post(
      "delivery",
      { sales_order: order.id, vehicle: vehicle.id, delivered_on: "2029-01-10" },
      users.byd2.token,
    );
    const instances = await knex()("kehu.wf_instances").where({ key: "service-reminder" });
    expect(instances.map((i) => i.record_id)).toEqual([delivery.id]);
    const timer = await knex()("kehu.wf_timers").where({ instance_id: instances[0].id }).first();
    expect(new Date(timer.due_at).toISOString()).toBe("2030-08-31T01:00:00.000Z");

    await at("2030-08-31T00:59:00Z");
    expect(await titles("byd2")).not.toContain("First service due: book an appointment 首保到期,请预约");
    await at("2030-08-31T01:00:00Z");
    expect(await titles("byd2")).toContain("First service due: book an appointment 首保到期,请预约");
    const task = await knex()("kehu.wf_tasks").where({ instance_id: instances[0].id, status: "open" }).first();
    expect(task).toMatchObject({ element_id: "bookService", assignee: "byd2" });
  });
});
