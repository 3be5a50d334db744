import { applyTemplate, seedTemplate, startTestEngine, type TestEngine, VirtualClock } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The auto-dealer main story (issue #8), walked through the public API as the demo users: a web lead for a BYD in
// East China goes to the BYD East store, whose consultant books a test drive, quotes the car at 8% off, gets the
// discount approved by the store's sales manager in the inbox, takes the order and hands the car over; six months
// later the consultant is reminded to book the first service.
let engine: TestEngine;
let tokens: Record<string, string>;
let clock: VirtualClock;

beforeAll(async () => {
  engine = await startTestEngine();
  clock = new VirtualClock("2030-03-02T01:00:00Z");
  engine.ctx.workflows!.clock = clock;
  await applyTemplate(engine.ctx, "auto-dealer");
  tokens = await seedTemplate(engine.ctx, "auto-dealer");
}, 300_000);
afterAll(() => engine?.close());

const cny = (amount: string) => ({ amount, currency: "CNY" });
/** Workflows started by a request run in the background; a user would see their effect a moment later. */
const settle = () => engine.ctx.workflows!.drainStarts();

async function call(method: string, path: string, as: string | undefined, body?: unknown, expected = 200) {
  const res = await engine.http(path, { method, body, ...(as ? { as: tokens[as] } : {}) });
  expect(res.status, `${method} ${path} as ${as ?? "admin"}: ${JSON.stringify(res.body)}`).toBe(expected);
  await settle();
  return res.body;
}
const create = (entity: string, body: Record<string, unknown>, as?: string) =>
  call("POST", `/api/data/${entity}`, as, body, 201);
const update = (entity: string, id: string, body: Record<string, unknown>, as: string) =>
  call("PATCH", `/api/data/${entity}/${id}`, as, body);
const read = (entity: string, id: string, as: string) => call("GET", `/api/data/${entity}/${id}`, as);
const list = async (entity: string, filter: Record<string, unknown>, as: string) =>
  (await call("GET", `/api/data/${entity}?filter=${encodeURIComponent(JSON.stringify(filter))}`, as)).data;
const userId = async (login: string) => (await call("GET", "/api/auth/me", login)).user.id as string;

type Task = { id: string; name: string; elementId: string; subject: { entity: string; recordId: string } };
/** The open tasks in a user's inbox: assigned to them, or offered to them to claim (approval ballots). */
async function inbox(login: string): Promise<Task[]> {
  const mine = await call("GET", "/api/tasks?view=mine", login);
  const claimable = await call("GET", "/api/tasks?view=claimable", login);
  return [...mine.data, ...claimable.data];
}
const inboxAbout = async (login: string, recordId: string) =>
  (await inbox(login)).filter((t) => t.subject?.recordId === recordId);

/**
 * The notifications in a user's inbox, oldest first. The engine has no notification API yet (the studio shows none
 * either), so this reads the workflow inbox table the `notify` service writes.
 */
const notificationsOf = async (login: string) =>
  (
    await engine.ctx.db.knex("kehu.wf_notifications").where({ user_login: login }).orderBy("created_at").orderBy("id")
  ).map((n) => ({ title: n.title as string, body: n.body as string | null }));

/** Moves the injected clock to a moment and fires every workflow timer due by then (as the timer poller would). */
async function at(iso: string) {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
  await engine.ctx.workflows!.fireDueTimers();
  await settle();
}

describe("auto-dealer: the main story through the API", () => {
  const story: Record<string, { id: string } & Record<string, unknown>> = {};

  it("sends a BYD lead from East China to the BYD East store and a Toyota lead from the North to Toyota North", async () => {
    story.lead = await create("lead", {
      name: "张伟",
      mobile: "13912345678",
      source: "web",
      brand_interest: "byd",
      region: "East",
    });
    const toyota = await create("lead", { name: "李娜", source: "phone", brand_interest: "toyota", region: "North" });
    const lead = await read("lead", story.lead.id, "byd_e01");
    expect(lead).toMatchObject({
      stage: "assigned",
      owner_id: await userId("byd_e01"),
      assigned_at: "2030-03-02T01:00:00.000Z",
    });
    expect((await read("lead", toyota.id, "toy_n01")).owner_id).toBe(await userId("toy_n01"));
    // Why them: the BYD East rule (brand byd, region East or Central), round-robin inside the store.
    const why = await call("GET", `/api/workflows/assignments?entity=lead&record=${story.lead.id}`, "byd_e01");
    expect(why.data[0]).toMatchObject({
      chosen: "byd_e01",
      trace: { rule: "byd-east", within: "roundRobin", manager: "mgr_byd_e" },
    });
    expect((await notificationsOf("byd_e01")).map((n) => n.title)).toEqual(["New lead: 张伟"]);
    expect((await inboxAbout("byd_e01", story.lead.id)).map((t) => t.name)).toEqual(["First contact"]);
    // Other stores neither get it nor see it.
    expect(await inboxAbout("toy_n01", story.lead.id)).toEqual([]);
    expect((await engine.http(`/api/data/lead/${story.lead.id}`, { as: tokens.bmw01 })).status).toBe(404);
  });

  it("books and holds a test drive of the model the customer asked about", async () => {
    await at("2030-03-02T03:00:00Z");
    const [contact] = await inboxAbout("byd_e01", story.lead.id);
    await call("POST", `/api/tasks/${contact.id}/complete`, "byd_e01", {});
    expect(await read("lead", story.lead.id, "byd_e01")).toMatchObject({
      stage: "contacted",
      first_contact_at: "2030-03-02T03:00:00.000Z",
    });
    [story.model] = await list("vehicle_model", { code: { eq: "BYD-SEAL" } }, "byd_e01");
    expect(story.model).toMatchObject({ name: "比亚迪 海豹", msrp: cny("189800.00") });
    story.drive = await create(
      "test_drive",
      { lead: story.lead.id, vehicle_model: story.model.id, scheduled_at: "2030-03-03T02:00:00Z" },
      "byd_e01",
    );
    expect(story.drive.status).toBe("booked");
    await update("lead", story.lead.id, { stage: "test_drive", model_interest: story.model.id }, "byd_e01");
    await at("2030-03-03T03:00:00Z");
    await update("test_drive", story.drive.id, { status: "done", feedback: "满意续航,关注价格" }, "byd_e01");
    expect((await read("test_drive", story.drive.id, "byd_e01")).status).toBe("done");
    // Contacted within 24 hours: the store's manager was never told.
    expect(await notificationsOf("mgr_byd_e")).toEqual([]);
  });

  it("quotes the car at 8% off, which the store's sales manager approves in the inbox", async () => {
    story.customer = await create(
      "customer",
      { name: "张伟", mobile: "13912345678", kind: "person", region: "East" },
      "byd_e01",
    );
    await update("lead", story.lead.id, { customer: story.customer.id }, "byd_e01");
    story.quote = await create(
      "quote",
      {
        lead: story.lead.id,
        customer: story.customer.id,
        vehicle_model: story.model.id,
        list_price: "189800.00",
        discount_pct: "8",
      },
      "byd_e01",
    );
    expect(story.quote.number).toMatch(/^QT-\d{6}-\d{3}$/);
    await update("lead", story.lead.id, { stage: "quoted" }, "byd_e01");
    const quote = await read("quote", story.quote.id, "byd_e01");
    // 189,800 × 92% = 174,616; above 5% and up to 10%: the sales manager alone decides.
    expect(quote).toMatchObject({ approval: "pending" });
    expect(Number(quote.final_price)).toBe(174616);
    expect((await inboxAbout("mgr_byd_e", story.quote.id)).map((t) => t.elementId)).toEqual(["ballotTimed"]);
    for (const login of ["gm", "mgr_byd_s", "byd_e02"])
      expect(await inboxAbout(login, story.quote.id), login).toEqual([]);
    const [ballot] = await inboxAbout("mgr_byd_e", story.quote.id);
    await call("POST", `/api/tasks/${ballot.id}/complete`, "mgr_byd_e", { outcome: "approve" });
    expect((await read("quote", story.quote.id, "byd_e01")).approval).toBe("approved");
    for (const login of ["mgr_byd_e", "gm"]) expect(await inboxAbout(login, story.quote.id), login).toEqual([]);
  });

  it("takes the order at the approved price and hands the car over", async () => {
    const [vehicle] = await list(
      "vehicle",
      { vehicle_model: { eq: story.model.id }, stock_status: { eq: "in_stock" } },
      "byd_e01",
    );
    expect(vehicle, "a 海豹 in stock").toBeDefined();
    story.vehicle = vehicle;
    story.order = await create(
      "sales_order",
      {
        customer: story.customer.id,
        quote: story.quote.id,
        vehicle: vehicle.id,
        ordered_on: "2030-03-03",
        amount: cny("174616.00"),
      },
      "byd_e01",
    );
    expect(story.order).toMatchObject({ status: "open", amount: cny("174616.00") });
    expect(story.order.number).toMatch(/^SO-\d{4}-\d{5}$/);
    await update("lead", story.lead.id, { stage: "won" }, "byd_e01");
    await update("sales_order", story.order.id, { status: "paid" }, "byd_e01");

    await at("2030-03-10T02:00:00Z");
    story.delivery = await create(
      "delivery",
      { sales_order: story.order.id, vehicle: vehicle.id, delivered_on: "2030-03-10", mileage_km: 8 },
      "byd_e01",
    );
    expect(story.delivery.next_service_due).toBe("2030-09-08");
    await update("sales_order", story.order.id, { status: "delivered" }, "byd_e01");
    expect((await read("sales_order", story.order.id, "byd_e01")).status).toBe("delivered");
  });

  it("reminds the consultant to book the first service 6 months after delivery, not a minute earlier", async () => {
    await at("2030-09-08T00:59:00Z");
    const before = await notificationsOf("byd_e01");
    expect(before.map((n) => n.title)).not.toContain("First service due: book an appointment 首保到期,请预约");
    expect(await inboxAbout("byd_e01", story.delivery.id)).toEqual([]);
    await at("2030-09-08T01:00:00Z");
    expect((await notificationsOf("byd_e01")).slice(before.length)).toEqual([
      {
        title: "First service due: book an appointment 首保到期,请预约",
        body: "Delivered on 2030-03-10. Call the customer to book the first service.",
      },
    ]);
    const [booking] = await inboxAbout("byd_e01", story.delivery.id);
    expect(booking).toMatchObject({ elementId: "bookService", name: "Book the first service" });
    await call("POST", `/api/tasks/${booking.id}/complete`, "byd_e01", {});
    expect(await inboxAbout("byd_e01", story.delivery.id)).toEqual([]);
  });
});
