import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDocument,
  createPayment,
  defaultCredentials,
  newItem,
  newPartner,
  refreshItemTotals,
  type SapB1Simulator,
  startSapB1Simulator,
  type WarehouseInfo,
} from "../../connectors/sap-b1/simulator/index";
import { runSync } from "../../engine/src/sync/run-sync";
import { syncServicesOf } from "../../engine/src/sync/sync-services";
import { openStory, type Row, type StoryDriver } from "./story-driver";

// The building-materials main story (issue #8), walked through the public API as the demo users: a web lead is
// assigned to a Shanghai salesperson, becomes an opportunity, a quote and a 75,000 contract that the East sales
// manager and the general manager approve in their inboxes; the signed contract's settlement line is reminded 7 days
// before it falls due; finance enters the invoice and the payment in SAP Business One, one sync pulls them, which
// closes the line and the contract and earns the worked example's commission (list 10, sold 15, 5,000 units:
// 4,000, of which 3,600 payable, 400 reserve).
let api: StoryDriver;
let sap: SapB1Simulator;

beforeAll(async () => {
  api = await openStory("building-materials", "2030-03-04T01:30:00Z");
  sap = await startSapB1Simulator({ seed: "empty" });
}, 300_000);
afterAll(async () => {
  await api?.close();
  await sap?.close();
});
/** The template's SAP B1 connection (sync/sap-b1.connection.yaml) reads its settings from these variables. */
const sapEnv = () => ({
  SAP_B1_URL: sap.origin,
  SAP_B1_COMPANY: defaultCredentials.companyDB,
  SAP_B1_USER: defaultCredentials.userName,
  SAP_B1_PASSWORD: defaultCredentials.password,
});

const cny = (amount: string) => ({ amount, currency: "CNY" });

async function decide(login: string, recordId: string, outcome: string) {
  const [task, ...more] = await api.inboxAbout(login, recordId);
  expect(task, `${login} has a task about ${recordId}`).toBeDefined();
  expect(more).toEqual([]);
  return api.call("POST", `/api/tasks/${task.id}/complete`, login, { outcome });
}

/**
 * Finance enters the customer's VAT invoice and the money received in SAP Business One, the way the template expects
 * (sync/*.mapping.yaml): the invoice's customer reference and the payment's transfer reference carry the contract
 * number, the payment's remarks the settlement line's code. One sync of the template's connection pulls both.
 */
async function invoiceAndCollectInSap(contract: Record<string, unknown>, line: Record<string, unknown>) {
  const [number, lineCode] = [String(contract.number), String(line.code)];
  const store = sap.store;
  store.insert(
    "BusinessPartners",
    "C-STORY-01",
    newPartner(store.clock(), "C-STORY-01", "上海恒达建材有限公司", "cCustomer"),
  );
  const item = newItem(store.clock(), "P-STORY-01", "釉面砖 600×600", ["01"]);
  (item.ItemWarehouseInfoCollection as WarehouseInfo[])[0].InStock = 5000;
  refreshItemTotals(item);
  store.insert("Items", "P-STORY-01", item);
  // The contract's goods as one line, net of 13% VAT: 66,371.68 + 8,628.32 VAT = 75,000.00.
  const invoice = createDocument(store, "Invoices", {
    CardCode: "C-STORY-01",
    NumAtCard: number,
    DocDate: "2030-04-08",
    DocumentLines: [{ ItemCode: "P-STORY-01", Quantity: 1, UnitPrice: 66371.68 }],
  });
  expect(Number(invoice.DocTotal)).toBe(75000);
  createPayment(store, {
    CardCode: "C-STORY-01",
    DocDate: "2030-04-09",
    TransferSum: 75000,
    TransferReference: number,
    Remarks: lineCode,
    PaymentInvoices: [{ DocEntry: invoice.DocEntry, SumApplied: 75000 }],
  });
  const run = await runSync(syncServicesOf(api.engine.ctx, { env: sapEnv() }), {
    connection: "sap_b1",
    streams: ["invoices", "incoming_payments"],
  });
  expect((await api.engine.ctx.workflows!.drainStarts()).failed).toBe(0);
  expect(run).toMatchObject({ status: "succeeded", created: 2, failed: 0 });
  return { invoice };
}

describe("building-materials: the main story through the API", () => {
  const story: Record<string, Row> = {};

  it("assigns a web lead from East China to a Shanghai salesperson, who finds it in the inbox", async () => {
    story.lead = await api.create("lead", {
      company: "上海恒达建材有限公司",
      contact_name: "王建国",
      mobile: "13800138000",
      source: "web",
      region: "East",
      interest: ["tile"],
    });
    const sales01 = await api.me("sales01");
    const lead = await api.read("lead", story.lead.id, "sales01");
    expect(lead).toMatchObject({ status: "assigned", owner_id: sales01.id, assigned_at: "2030-03-04T01:30:00.000Z" });
    // Why them: the East rule, round-robin among the East branch's salespeople; the branch manager is on call.
    const why = await api.call("GET", `/api/workflows/assignments?entity=lead&record=${story.lead.id}`, "sales01");
    expect(why.data[0]).toMatchObject({
      chosen: "sales01",
      trace: { rule: "east", within: "roundRobin", manager: "mgr_east" },
    });
    expect(why.data[0].trace.candidates).toEqual(expect.arrayContaining(["sales01", "sales06", "sales11"]));
    // The salesperson was told, and their inbox holds the first contact to make within 24 hours.
    expect((await api.notificationsOf("sales01")).map((n) => n.title)).toEqual(["New lead: 上海恒达建材有限公司"]);
    expect((await api.inboxAbout("sales01", story.lead.id)).map((t) => t.name)).toEqual(["First contact"]);
    // The North salesperson neither owns it nor can see it.
    await api.call("GET", `/api/data/lead/${story.lead.id}`, "sales02", undefined, 404);
  });

  it("turns the contacted, qualified lead into an opportunity and a quote", async () => {
    await api.at("2030-03-04T05:00:00Z");
    const [contact] = await api.inboxAbout("sales01", story.lead.id);
    await api.call("POST", `/api/tasks/${contact.id}/complete`, "sales01", {});
    expect(await api.read("lead", story.lead.id, "sales01")).toMatchObject({
      status: "contacted",
      first_contact_at: "2030-03-04T05:00:00.000Z",
    });
    // Contacted in time: the SLA does not fire and the branch manager hears nothing.
    await api.at("2030-03-05T06:00:00Z");
    expect(await api.notificationsOf("mgr_east")).toEqual([]);
    await api.update("lead", story.lead.id, { status: "qualified" }, "sales01");

    // Conversion: the salesperson opens the customer and an opportunity that names the lead, and closes the lead.

    story.customer = await api.create("customer", { name: "上海恒达建材有限公司", code: "C-STORY-01" }, "sales01");
    story.opportunity = await api.create(
      "opportunity",
      {
        name: "恒达 釉面砖 供货",
        customer: story.customer.id,
        lead: story.lead.id,
        stage: "needs",
        amount: cny("75000.00"),
        expected_close: "2030-03-31",
      },
      "sales01",
    );
    await api.update("lead", story.lead.id, { status: "converted" }, "sales01");
    expect((await api.read("lead", story.lead.id, "sales01")).status).toBe("converted");
    expect(Number((await api.read("opportunity", story.opportunity.id, "sales01")).weighted_amount)).toBe(15000);

    story.quote = await api.create(
      "quote",
      {
        opportunity: story.opportunity.id,
        customer: story.customer.id,
        amount: cny("75000.00"),
        status: "sent",
        valid_until: "2030-03-20",
      },
      "sales01",
    );
    expect(story.quote.number).toMatch(/^BJ-\d{4}-\d{4}$/);
    await api.update("opportunity", story.opportunity.id, { stage: "proposal" }, "sales01");
    expect(Number((await api.read("opportunity", story.opportunity.id, "sales01")).weighted_amount)).toBe(30000);
    await api.update("quote", story.quote.id, { status: "accepted" }, "sales01");
    await api.update("opportunity", story.opportunity.id, { stage: "won" }, "sales01");
    const won = await api.read("opportunity", story.opportunity.id, "sales01");
    expect([won.probability, Number(won.weighted_amount)]).toEqual([100, 75000]);
  });

  it("drafts the 75,000 contract with its line at 15 against a list price of 10, and its settlement plan", async () => {
    // HQ keeps the catalogue; the salesperson only reads it.
    const product = await api.create("product", {
      sku: "P-STORY-01",
      name: "釉面砖 600×600",
      list_price: cny("10.00"),
    });
    const { data: reps } = await api.call(
      "GET",
      `/api/data/sales_rep?filter=${encodeURIComponent(JSON.stringify({ login: { eq: "sales01" } }))}`,
      "sales01",
    );
    expect(reps).toHaveLength(1);
    story.rep = reps[0];
    story.contract = await api.create(
      "contract",
      {
        title: "恒达 釉面砖 供货合同",
        customer: story.customer.id,
        opportunity: story.opportunity.id,
        quote: story.quote.id,
        sales_rep: story.rep.id,
        amount: cny("75000.00"),
      },
      "sales01",
    );
    expect(story.contract).toMatchObject({ status: "draft" });
    expect(story.contract.number).toMatch(/^HT-\d{4}-\d{4}$/);
    await api.create(
      "contract_line",
      {
        contract: story.contract.id,
        product: product.id,
        model: "GZ6601",
        spec: "600×600",
        quantity: "5000",
        unit: "片",
        list_price: "10.00",
        unit_price: "15.00",
      },
      "sales01",
    );
    story.line = await api.create(
      "settlement_plan",
      {
        contract: story.contract.id,
        title: "全款",
        code: `${story.contract.number}-1`,
        due_on: "2030-04-10",
        amount: cny("75000.00"),
      },
      "sales01",
    );
    const contract = await api.read("contract", story.contract.id, "sales01");
    expect([Number(contract.line_total), Number(contract.over_list_total)]).toEqual([75000, 25000]);
  });

  it("routes the submitted contract through the East sales manager, then the general manager (tier up to 200,000)", async () => {
    await api.update("contract", story.contract.id, { status: "pending_approval" }, "sales01");
    expect((await api.read("contract", story.contract.id, "sales01")).status).toBe("pending_approval");
    // First level: the sales manager of the submitter's branch alone.
    expect((await api.inboxAbout("mgr_east", story.contract.id)).map((t) => t.elementId)).toEqual(["ballotTimed"]);
    for (const login of ["gm", "mgr_north", "legal01", "fin01"])
      expect(await api.inboxAbout(login, story.contract.id), login).toEqual([]);
    await decide("mgr_east", story.contract.id, "approve");
    expect((await api.read("contract", story.contract.id, "sales01")).status).toBe("pending_approval");
    expect(await api.inboxAbout("mgr_east", story.contract.id)).toEqual([]);
    // Second level: the directors (management; the demo group has one, the GM), a parallel level: each director has
    // their own task. Legal and finance co-sign only above 500,000.
    expect((await api.inboxAbout("gm", story.contract.id)).map((t) => t.elementId)).toEqual(["ballotParallel"]);
    expect(await api.inboxAbout("legal01", story.contract.id)).toEqual([]);
    await decide("gm", story.contract.id, "approve");
    expect((await api.read("contract", story.contract.id, "sales01")).status).toBe("approved");
    for (const login of ["mgr_east", "gm", "legal01", "fin01"])
      expect(await api.inboxAbout(login, story.contract.id), login).toEqual([]);
  });

  it("reminds the salesperson 7 days before the settlement line falls due, once the contract is signed", async () => {
    await api.update("contract", story.contract.id, { status: "active", signed_on: "2030-03-06" }, "sales01");
    expect((await api.read("settlement_plan", story.line.id, "sales01")).status).toBe("planned");
    await api.at("2030-04-03T00:59:00Z");
    expect((await api.read("settlement_plan", story.line.id, "sales01")).status).toBe("planned");
    const before = (await api.notificationsOf("sales01")).length;
    await api.at("2030-04-03T01:00:00Z");
    expect((await api.read("settlement_plan", story.line.id, "sales01")).status).toBe("reminded");
    const reminders = (await api.notificationsOf("sales01")).slice(before);
    expect(reminders).toEqual([
      {
        title: `Collection due on 2030-04-10: ${story.contract.number} 全款`,
        body: "Due on 2030-04-10, still to collect 75000.00. 回款即将到期,请跟进。",
      },
    ]);
  });

  it("closes the settlement line and completes the contract when the SAP invoice and incoming payment are synced", async () => {
    await api.at("2030-04-09T03:00:00Z");
    const { invoice } = await invoiceAndCollectInSap(story.contract, story.line);
    const byContract = encodeURIComponent(JSON.stringify({ contract: { eq: story.contract.id } }));
    const invoices = (await api.call("GET", `/api/data/contract_invoice?filter=${byContract}`, "fin01")).data;
    expect(invoices.map((i: Row) => [i.invoice_no, i.amount.currency, Number(i.amount.amount)])).toEqual([
      [String(invoice.DocNum), "CNY", 75000],
    ]);
    const collections = (await api.call("GET", `/api/data/collection?filter=${byContract}`, "fin01")).data;
    expect(collections.map((c: Row) => [c.settlement_plan, c.status, c.received_on, Number(c.amount.amount)])).toEqual([
      [story.line.id, "confirmed", "2030-04-09", 75000],
    ]);
    story.collection = collections[0];
    const line = await api.read("settlement_plan", story.line.id, "sales01");
    expect(line.status).toBe("paid");
    expect(Number(line.remaining)).toBe(0);
    const contract = await api.read("contract", story.contract.id, "fin01");
    expect(contract).toMatchObject({ status: "completed", invoiced: cny("75000.00"), collected: cny("75000.00") });
    expect(Number(contract.outstanding)).toBe(0);
    // The line was paid before it fell due: no overdue flag the day after.
    await api.at("2030-04-11T01:00:00Z");
    expect((await api.read("settlement_plan", story.line.id, "sales01")).status).toBe("paid");
  });

  it("computes the worked example's commission on the collected money: 4,000, of which 3,600 payable and 400 reserve", async () => {
    const collection = await api.read("collection", story.collection.id, "fin01");
    // (15 − 10) × 5,000 × 10% = 2,500 above list; (75,000 − 25,000) × 3% = 1,500 base.
    expect(Number(collection.over_list_part)).toBe(25000);
    expect(Number(collection.commission)).toBe(4000);
    expect(Number(collection.commission_payable)).toBe(3600);
    expect(Number(collection.commission_reserve)).toBe(400);
    expect(collection.sales_rep).toBe(story.rep.id);
    const rep = await api.read("sales_rep", story.rep.id, "fin01");
    const earlier = Number(story.rep.commission_total ?? 0);
    expect(Number(rep.commission_total) - earlier).toBe(4000);
    expect(Number(rep.reserve_total) - Number(story.rep.reserve_total ?? 0)).toBe(400);
  });
});
