import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDocument,
  createPayment,
  defaultCredentials,
  type SapB1Simulator,
  type SapRecord,
  startSapB1Simulator,
  type WarehouseInfo,
} from "../../connectors/sap-b1/simulator/index";
import { mirrorTemplateInSap } from "../../engine/src/cli/template-sap-data";
import { checkConnection } from "../../engine/src/sync/connection-store";
import { listMappings } from "../../engine/src/sync/mapping-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { type SyncServices, syncServicesOf } from "../../engine/src/sync/sync-services";
import { applyTemplate, startTestEngine, type TestEngine } from "../../engine/src/testing/index";

// biome-ignore lint/suspicious/noExplicitAny: records are asserted field by field
type Row = Record<string, any>;
const cny = (amount: string) => ({ amount, currency: "CNY" });
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A template applied on a fresh engine, a simulator on a real socket, and the template's connection pointed at it. */
interface Bed {
  engine: TestEngine;
  sim: SapB1Simulator;
  services: SyncServices;
  post(entity: string, body: Record<string, unknown>): Promise<Row>;
  get(entity: string, id: string): Promise<Row>;
  rows(entity: string): Promise<Array<Row>>;
  sync(...streams: string[]): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function openBed(template: string): Promise<Bed> {
  const engine = await startTestEngine();
  await applyTemplate(engine.ctx, template);
  const sim = await startSapB1Simulator({ seed: "empty" });
  const services = syncServicesOf(engine.ctx, {
    env: {
      SAP_B1_URL: sim.origin,
      SAP_B1_COMPANY: defaultCredentials.companyDB,
      SAP_B1_USER: defaultCredentials.userName,
      SAP_B1_PASSWORD: defaultCredentials.password,
    },
  });
  const knex = engine.ctx.db.knex;
  return {
    engine,
    sim,
    services,
    async post(entity, body) {
      const res = await engine.http(`/api/data/${entity}`, { method: "POST", body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect((await engine.ctx.workflows?.drainStarts())?.failed ?? 0).toBe(0);
      return res.body;
    },
    async get(entity, id) {
      const res = await engine.http(`/api/data/${entity}/${id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    rows: (entity) => knex(`data.${entity}`).whereNull("deleted_at").select(),
    async sync(...streams) {
      const run = await runSync(services, { connection: "sap_b1", streams });
      expect((await engine.ctx.workflows?.drainStarts())?.failed ?? 0).toBe(0);
      return run as unknown as Record<string, unknown>;
    },
    async close() {
      await engine.close();
      await sim.close();
    },
  };
}

/** Kehu's stock rows in sapStock's shape, the item's code found through the row's reference `via`. */
function kehuStock(stock: Row[], via: string, codeOf: Map<unknown, unknown>): unknown[][] {
  return stock
    .map((s) => [codeOf.get(s[via]), s.warehouse, num(s.on_hand), num(s.committed), num(s.ordered), num(s.available)])
    .sort();
}

/** SAP's stock rows: [ItemCode, WarehouseCode, InStock, Committed, Ordered, Available]. */
function sapStock(sim: SapB1Simulator): Array<Array<string | number>> {
  return sim.store
    .list("Items")
    .flatMap((item) =>
      (item.ItemWarehouseInfoCollection as WarehouseInfo[]).map((w) => [
        item.ItemCode as string,
        w.WarehouseCode,
        w.InStock,
        w.Committed,
        w.Ordered,
        w.InStock - w.Committed + w.Ordered,
      ]),
    );
}

describe("building-materials: SAP B1 sync", () => {
  let bed: Bed;
  let contract: Row;
  const lines: Row = {};
  let franchisee: Row;

  beforeAll(async () => {
    bed = await openBed("building-materials");
    franchisee = await bed.post("customer", { name: "杭州美居建材加盟店", code: "C2001", channel: "franchisee" });
    await bed.post("customer", { name: "上海恒达建材有限公司", code: "C2002", channel: "store" });
    for (const [sku, name, category, price] of [
      ["P3001", "800x800 抛光砖", "tile", "118.00"],
      ["P3002", "智能马桶 标准版", "sanitary", "2999.00"],
      ["P3003", "厨房龙头", "faucet", "459.00"],
    ])
      await bed.post("product", { sku, name, category, unit: "片", list_price: cny(price) });
    contract = await bed.post("contract", {
      title: "美居 瓷砖 供货合同",
      customer: franchisee.id,
      amount: cny("50000.00"),
      status: "active",
    });
    for (const [n, due, amount] of [
      ["1", "2026-12-01", "20000.00"],
      ["2", "2027-01-15", "30000.00"],
    ])
      lines[n] = await bed.post("settlement_plan", {
        contract: contract.id,
        title: `第${n}期`,
        code: `${contract.number}-${n}`,
        due_on: due,
        amount: cny(amount),
      });
    // The simulator holds the same customers and products, and an invoice paid against the first open line.
    const mirror = await mirrorTemplateInSap(bed.engine.ctx.db.knex, bed.sim.store, { payments: 1 });
    expect(mirror).toEqual({ partners: 2, items: 3, invoices: 1, payments: 1 });
    expect(await checkConnection(bed.services, "sap_b1")).toMatchObject({ ok: true });
  }, 240_000);
  afterAll(() => bed?.close());

  it("installs the template's connection and mappings, and applying it again changes nothing", async () => {
    const before = await listMappings(bed.services.knex, { connection: "sap_b1" });
    expect(before.map((m) => [m.name, m.stream, m.entity, m.direction])).toEqual([
      ["sap_incoming_payments", "incoming_payments", "collection", "pull"],
      ["sap_invoices", "invoices", "contract_invoice", "pull"],
      ["sap_item_stock", "item_stock", "stock_level", "pull"],
      ["sap_items", "items", "product", "pull"],
      ["sap_sales_orders", "sales_orders", "sales_order", "push"],
    ]);
    await applyTemplate(bed.engine.ctx, "building-materials");
    expect(await listMappings(bed.services.knex, { connection: "sap_b1" })).toEqual(before);
    // The mappings are dependants: the impact check of dropping a mapped field names them.
    const res = await bed.engine.http("/api/meta/entities/stock_level/impact?field=on_hand");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.map((d: { key: string }) => d.key)).toEqual(
      expect.arrayContaining([expect.stringMatching(/sap_item_stock/)]),
    );
  });

  it("pulls items into products and stock per warehouse into stock levels, with SAP's values", async () => {
    bed.sim.store.update("Items", "P3003", (item) => {
      item.ItemName = "厨房龙头 (SAP)";
      bed.sim.store.touch(item);
    });
    const run = await bed.sync("items", "item_stock");
    expect(run).toMatchObject({ status: "succeeded", failed: 0 });
    const products = await bed.rows("product");
    expect(products.map((p) => [p.sku, p.name, p.category, num(p.list_price)]).sort()).toEqual(
      bed.sim.store
        .list("Items")
        .map((i) => [
          i.ItemCode,
          i.ItemName,
          { 101: "tile", 102: "sanitary", 103: "faucet" }[i.ItemsGroupCode as number],
          Number((i.ItemPrices as SapRecord[])[0].Price),
        ])
        .sort(),
    );
    expect(products.find((p) => p.sku === "P3003")!.name).toBe("厨房龙头 (SAP)");
    const sku = new Map(products.map((p) => [p.id, p.sku]));
    const stock = await bed.rows("stock_level");
    const expected = sapStock(bed.sim);
    expect(expected.some((s) => Number(s[2]) > 0)).toBe(true);
    expect(kehuStock(stock, "product", sku)).toEqual(expected.sort());
  }, 60_000);

  it("pushes a franchisee's order to SAP once, however often it runs, and leaves a store order in Kehu", async () => {
    const order = await bed.post("sales_order", {
      customer: franchisee.id,
      contract: contract.id,
      channel: "franchisee",
      ordered_on: "2026-12-01",
      comments: "美居 首批瓷砖",
      lines: [
        { ItemCode: "P3001", Quantity: 40, WarehouseCode: bed.sim.store.get("Items", "P3001")!.DefaultWarehouse },
      ],
    });
    await bed.post("sales_order", {
      customer: franchisee.id,
      channel: "store",
      lines: [{ ItemCode: "P3001", Quantity: 1 }],
    });
    const ours = () =>
      bed.sim.store.list("Orders").filter((o) => String(o.NumAtCard).startsWith(`kehu:sales_order:${order.id}:`));
    expect(await bed.sync("sales_orders")).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    expect(await bed.sync("sales_orders")).toMatchObject({ status: "succeeded", created: 0, failed: 0 });
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toMatchObject({ CardCode: "C2001", Comments: "美居 首批瓷砖" });
    expect((ours()[0].DocumentLines as SapRecord[]).map((l) => [l.ItemCode, l.Quantity])).toEqual([["P3001", 40]]);
    expect(bed.sim.store.list("Orders")).toHaveLength(1);
  }, 60_000);

  it("pulls SAP invoices and incoming payments against the contract and closes the settlement lines they pay", async () => {
    // A second invoice and payment, entered in SAP for the second line.
    const invoice = createDocument(bed.sim.store, "Invoices", {
      CardCode: "C2001",
      NumAtCard: contract.number,
      DocumentLines: [{ ItemCode: "P3002", Quantity: 10, UnitPrice: 2654.87 }],
    });
    createPayment(bed.sim.store, {
      CardCode: "C2001",
      TransferSum: 30000,
      TransferReference: contract.number,
      Remarks: `${contract.number}-2`,
      PaymentInvoices: [{ DocEntry: invoice.DocEntry, SumApplied: Number(invoice.DocTotal) }],
    });
    const run = await bed.sync("invoices", "incoming_payments");
    expect(run).toMatchObject({ status: "succeeded", created: 4, failed: 0 });

    const sapInvoices = bed.sim.store.list("Invoices");
    const invoices = await bed.rows("contract_invoice");
    expect(invoices.map((i) => [i.sap_doc_entry, i.invoice_no, i.contract, num(i.amount)]).sort()).toEqual(
      sapInvoices.map((i) => [i.DocEntry, String(i.DocNum), contract.id, Number(i.DocTotal)]).sort(),
    );
    const collections = await bed.rows("collection");
    expect(collections.map((c) => [c.contract, c.settlement_plan, c.status, num(c.amount)]).sort()).toEqual(
      [
        [contract.id, lines["1"].id, "confirmed", 20000],
        [contract.id, lines["2"].id, "confirmed", 30000],
      ].sort(),
    );
    // Through the public API: both lines paid, nothing outstanding, the contract completed by the workflow.
    for (const line of Object.values(lines)) expect((await bed.get("settlement_plan", line.id)).status).toBe("paid");
    const after = await bed.get("contract", contract.id);
    expect(after.collected).toEqual(cny("50000.00"));
    expect(Number(after.outstanding)).toBe(0);
    expect(after.status).toBe("completed");
    // Nothing is pulled twice.
    expect(await bed.sync("invoices", "incoming_payments")).toMatchObject({ created: 0, failed: 0 });
    expect(await bed.rows("collection")).toHaveLength(2);
  }, 60_000);
});

describe("auto-dealer: SAP B1 sync", () => {
  let bed: Bed;
  let customer: Row;
  let order: Row;

  beforeAll(async () => {
    bed = await openBed("auto-dealer");
    const models: Row = {};
    for (const [code, name, brand, msrp] of [
      ["BYD-HAN-EV", "比亚迪 汉 EV", "byd", "209800.00"],
      ["TOYOTA-RAV4", "丰田 RAV4 荣放", "toyota", "179800.00"],
    ])
      models[code] = await bed.post("vehicle_model", { code, name, brand, msrp: cny(msrp) });
    for (const [vin, model, warehouse, status] of [
      ["LJB11XUM98B7LK7HB", "TOYOTA-RAV4", "SH02", "in_stock"],
      ["LSR5DUYAXLYZ22XWL", "BYD-HAN-EV", "SH01", "in_stock"],
      ["L7TLLV7UFG1467R8R", "BYD-HAN-EV", "SH01", "in_stock"],
      ["LDVES6JS3PDJ1GKFC", "BYD-HAN-EV", "SH01", "sold"],
    ])
      await bed.post("vehicle", { vin, vehicle_model: models[model].id, warehouse, stock_status: status });
    customer = await bed.post("customer", { name: "苏州韩霞汽车租赁有限公司", mobile: "+86 185 1980 4950" });
    const patched = await bed.engine.http(`/api/data/customer/${customer.id}`, {
      method: "PATCH",
      body: { sap_card_code: "AD00001" },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    order = await bed.post("sales_order", {
      contract_no: "GC2026030001",
      customer: customer.id,
      ordered_on: "2026-03-07",
      amount: cny("209800.00"),
      status: "paid",
    });
    const mirror = await mirrorTemplateInSap(bed.engine.ctx.db.knex, bed.sim.store);
    expect(mirror).toEqual({ partners: 1, items: 2, invoices: 1, payments: 1 });
    expect(await checkConnection(bed.services, "sap_b1")).toMatchObject({ ok: true });
  }, 240_000);
  afterAll(() => bed?.close());

  it("pulls vehicle models and stock per model and warehouse from SAP items", async () => {
    bed.sim.store.update("Items", "TOYOTA-RAV4", (item) => {
      (item.ItemPrices as SapRecord[])[0].Price = 175800;
      bed.sim.store.touch(item);
    });
    expect(await bed.sync("items", "item_stock")).toMatchObject({ status: "succeeded", failed: 0 });
    const models = await bed.rows("vehicle_model");
    expect(models.map((m) => [m.code, m.name, num(m.msrp)]).sort()).toEqual([
      ["BYD-HAN-EV", "比亚迪 汉 EV", 209800],
      ["TOYOTA-RAV4", "丰田 RAV4 荣放", 175800],
    ]);
    const code = new Map(models.map((m) => [m.id, m.code]));
    const stock = await bed.rows("model_stock");
    expect(kehuStock(stock, "vehicle_model", code)).toEqual(sapStock(bed.sim).sort());
    // The vehicles in stock show in SAP's stock of their model (the sold one was invoiced out of SH01).
    const onHand = (model: string, wh: string) =>
      stock.find((s) => code.get(s.vehicle_model) === model && s.warehouse === wh);
    expect(num(onHand("TOYOTA-RAV4", "SH02")!.on_hand)).toBe(1);
  }, 60_000);

  it("pushes an open sales order once and pulls the invoice of a paid one against its order", async () => {
    const open = await bed.post("sales_order", {
      contract_no: "GC2026120007",
      customer: customer.id,
      ordered_on: "2026-12-01",
      amount: cny("175800.00"),
      lines: [{ ItemCode: "TOYOTA-RAV4", Quantity: 1, WarehouseCode: "SH02", UnitPrice: 155575.22 }],
    });
    expect(await bed.sync("sales_orders")).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    expect(await bed.sync("sales_orders")).toMatchObject({ status: "succeeded", created: 0, failed: 0 });
    const orders = bed.sim.store.list("Orders");
    expect(orders.map((o) => [o.CardCode, o.Comments, String(o.NumAtCard).split(":")[2]])).toEqual([
      ["AD00001", "GC2026120007", open.id],
    ]);

    expect(await bed.sync("invoices")).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
    const [sapInvoice] = bed.sim.store.list("Invoices");
    const invoices = await bed.rows("sales_invoice");
    expect(invoices.map((i) => [i.sap_doc_entry, i.sales_order, num(i.amount), num(i.paid), i.sap_status])).toEqual([
      [sapInvoice.DocEntry, order.id, Number(sapInvoice.DocTotal), Number(sapInvoice.PaidToDate), "bost_Close"],
    ]);
  }, 60_000);
});
