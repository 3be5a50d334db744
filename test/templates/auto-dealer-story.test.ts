import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStory, type Row, type StoryDriver } from "./story-driver";

// The auto-dealer main story (issue #8), walked through the public API as the demo users: a web lead for a BYD in
// East China goes to the BYD East store, whose consultant books a test drive, quotes the car at 8% off, gets the
// discount approved by the store's sales manager in the inbox, takes the order and hands the car over; six months
// later the consultant is reminded to book the first service.
let api: StoryDriver;

beforeAll(async () => {
  api = await openStory("auto-dealer", "2030-03-02T01:00:00Z");
}, 300_000);
afterAll(() => api?.close());

const cny = (amount: string) => ({ amount, currency: "CNY" });
const userId = async (login: string) => (await api.me(login)).id;

describe("auto-dealer: the main story through the API", () => {
  const story: Record<string, Row> = {};

  it("sends a BYD lead from East China to the BYD East store and a Toyota lead from the North to Toyota North", async () => {
    story.lead = await api.create("lead", {
      name: "张伟",
      mobile: "13912345678",
      source: "web",
      brand_interest: "byd",
      region: "East",
    });
    const toyota = await api.create("lead", {
      name: "李娜",
      source: "phone",
      brand_interest: "toyota",
      region: "North",
    });
    const lead = await api.read("lead", story.lead.id, "byd_e01");
    expect(lead).toMatchObject({
      stage: "assigned",
      owner_id: await userId("byd_e01"),
      assigned_at: "2030-03-02T01:00:00.000Z",
    });
    expect((await api.read("lead", toyota.id, "toy_n01")).owner_id).toBe(await userId("toy_n01"));
    // Why them: the BYD East rule (brand byd, region East or Central), round-robin inside the store.
    const why = await api.call("GET", `/api/workflows/assignments?entity=lead&record=${story.lead.id}`, "byd_e01");
    expect(why.data[0]).toMatchObject({
      chosen: "byd_e01",
      trace: { rule: "byd-east", within: "roundRobin", manager: "mgr_byd_e" },
    });
    expect((await api.notificationsOf("byd_e01")).map((n) => n.title)).toEqual(["New lead: 张伟"]);
    expect((await api.inboxAbout("byd_e01", story.lead.id)).map((t) => t.name)).toEqual(["First contact"]);
    // Other stores neither get it nor see it.
    expect(await api.inboxAbout("toy_n01", story.lead.id)).toEqual([]);
    await api.call("GET", `/api/data/lead/${story.lead.id}`, "bmw01", undefined, 404);
  });

  it("books and holds a test drive of the model the customer asked about", async () => {
    await api.at("2030-03-02T03:00:00Z");
    const [contact] = await api.inboxAbout("byd_e01", story.lead.id);
    await api.call("POST", `/api/tasks/${contact.id}/complete`, "byd_e01", {});
    expect(await api.read("lead", story.lead.id, "byd_e01")).toMatchObject({
      stage: "contacted",
      first_contact_at: "2030-03-02T03:00:00.000Z",
    });
    [story.model] = await api.list("vehicle_model", { code: { eq: "BYD-SEAL" } }, "byd_e01");
    expect(story.model).toMatchObject({ name: "比亚迪 海豹", msrp: cny("189800.00") });
    story.drive = await api.create(
      "test_drive",
      { lead: story.lead.id, vehicle_model: story.model.id, scheduled_at: "2030-03-03T02:00:00Z" },
      "byd_e01",
    );
    expect(story.drive.status).toBe("booked");
    await api.update("lead", story.lead.id, { stage: "test_drive", model_interest: story.model.id }, "byd_e01");
    await api.at("2030-03-03T03:00:00Z");
    await api.update("test_drive", story.drive.id, { status: "done", feedback: "满意续航,关注价格" }, "byd_e01");
    expect((await api.read("test_drive", story.drive.id, "byd_e01")).status).toBe("done");
    // Contacted within 24 hours: the store's manager was never told.
    expect(await api.notificationsOf("mgr_byd_e")).toEqual([]);
  });

  it("quotes the car at 8% off, which the store's sales manager approves in the inbox", async () => {
    story.customer = await api.create(
      "customer",
      { name: "张伟", mobile: "13912345678", kind: "person", region: "East" },
      "byd_e01",
    );
    await api.update("lead", story.lead.id, { customer: story.customer.id }, "byd_e01");
    story.quote = await api.create(
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
    await api.update("lead", story.lead.id, { stage: "quoted" }, "byd_e01");
    const quote = await api.read("quote", story.quote.id, "byd_e01");
    // 189,800 × 92% = 174,616; above 5% and up to 10%: the sales manager alone decides.
    expect(quote).toMatchObject({ approval: "pending" });
    expect(Number(quote.final_price)).toBe(174616);
    expect((await api.inboxAbout("mgr_byd_e", story.quote.id)).map((t) => t.elementId)).toEqual(["ballotTimed"]);
    for (const login of ["gm", "mgr_byd_s", "byd_e02"])
      expect(await api.inboxAbout(login, story.quote.id), login).toEqual([]);
    const [ballot] = await api.inboxAbout("mgr_byd_e", story.quote.id);
    await api.call("POST", `/api/tasks/${ballot.id}/complete`, "mgr_byd_e", { outcome: "approve" });
    expect((await api.read("quote", story.quote.id, "byd_e01")).approval).toBe("approved");
    for (const login of ["mgr_byd_e", "gm"]) expect(await api.inboxAbout(login, story.quote.id), login).toEqual([]);
  });

  it("takes the order at the approved price and hands the car over", async () => {
    const [vehicle] = await api.list(
      "vehicle",
      { vehicle_model: { eq: story.model.id }, stock_status: { eq: "in_stock" } },
      "byd_e01",
    );
    expect(vehicle, "a 海豹 in stock").toBeDefined();
    story.vehicle = vehicle;
    story.order = await api.create(
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
    await api.update("lead", story.lead.id, { stage: "won" }, "byd_e01");
    await api.update("sales_order", story.order.id, { status: "paid" }, "byd_e01");

    await api.at("2030-03-10T02:00:00Z");
    story.delivery = await api.create(
      "delivery",
      { sales_order: story.order.id, vehicle: vehicle.id, delivered_on: "2030-03-10", mileage_km: 8 },
      "byd_e01",
    );
    expect(story.delivery.next_service_due).toBe("2030-09-08");
    await api.update("sales_order", story.order.id, { status: "delivered" }, "byd_e01");
    expect((await api.read("sales_order", story.order.id, "byd_e01")).status).toBe("delivered");
  });

  it("reminds the consultant to book the first service 6 months after delivery, not a minute earlier", async () => {
    await api.at("2030-09-08T00:59:00Z");
    const before = await api.notificationsOf("byd_e01");
    expect(before.map((n) => n.title)).not.toContain("First service due: book an appointment 首保到期,请预约");
    expect(await api.inboxAbout("byd_e01", story.delivery.id)).toEqual([]);
    await api.at("2030-09-08T01:00:00Z");
    expect((await api.notificationsOf("byd_e01")).slice(before.length)).toEqual([
      {
        title: "First service due: book an appointment 首保到期,请预约",
        body: "Delivered on 2030-03-10. Call the customer to book the first service.",
      },
    ]);
    const [booking] = await api.inboxAbout("byd_e01", story.delivery.id);
    expect(booking).toMatchObject({ elementId: "bookService", name: "Book the first service" });
    await api.call("POST", `/api/tasks/${booking.id}/complete`, "byd_e01", {});
    expect(await api.inboxAbout("byd_e01", story.delivery.id)).toEqual([]);
  });
});
