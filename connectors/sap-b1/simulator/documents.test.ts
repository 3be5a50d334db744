import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

describe("documents and stock", () => {
  let sim: SapB1Simulator;
  let client: SlTestClient;
  const warehouse = async (itemCode: string, code: string) =>
    (await client.get(`Items('${itemCode}')`)).body.ItemWarehouseInfoCollection.find(
      (row: { WarehouseCode: string }) => row.WarehouseCode === code,
    );
  beforeAll(async () => {
    sim = await startSapB1Simulator({
      seed: "demo",
      sizes: { partners: 10, items: 20, orders: 0, invoices: 0, payments: 0 },
    });
    client = await SlTestClient.login(sim);
    sim.store.update("Items", "A000001", (item) => {
      for (const row of item.ItemWarehouseInfoCollection as { InStock: number }[]) row.InStock = 100;
    });
  });
  afterAll(() => sim.close());

  const order = (quantity: number | string, extra = {}) => ({
    CardCode: "C00001",
    DocDueDate: "2026-12-01",
    NumAtCard: "CRM-SO-1",
    DocumentLines: [{ ItemCode: "A000001", Quantity: quantity, UnitPrice: 100, WarehouseCode: "02" }],
    ...extra,
  });

  it("numbers orders with increasing DocEntry/DocNum and commits stock on the line's warehouse", async () => {
    const before = await warehouse("A000001", "02");
    const first = await client.request("POST", "Orders", { body: order(5, { U_CRM_Id: "crm-1" }) });
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`${sim.url}/Orders(${first.body.DocEntry})`);
    expect(first.body).toMatchObject({
      DocNum: 200001,
      CardName: expect.any(String),
      DocumentStatus: "bost_Open",
      Cancelled: "tNO",
      DocTotal: 565,
      VatSum: 65,
      U_CRM_Id: "crm-1",
      DocumentLines: [
        { LineNum: 0, ItemCode: "A000001", Quantity: 5, Price: 100, LineTotal: 500, WarehouseCode: "02" },
      ],
    });
    const second = await client.request("POST", "Orders", { body: order("3") });
    expect(second.body.DocEntry).toBe(first.body.DocEntry + 1);
    expect(second.body.DocNum).toBe(first.body.DocNum + 1);
    expect((await warehouse("A000001", "02")).Committed).toBe(before.Committed + 8);
    expect((await warehouse("A000001", "01")).Committed).toBe(0);
  });

  it("adjusts Committed on PATCH (204) and releases it on Cancel", async () => {
    const created = (await client.request("POST", "Orders", { body: order(10) })).body;
    const committed = (await warehouse("A000001", "02")).Committed;
    const patch = await client.request("PATCH", `Orders(${created.DocEntry})`, {
      body: { Comments: "changed", DocumentLines: [{ LineNum: 0, Quantity: 4 }] },
    });
    expect(patch.status).toBe(204);
    expect((await warehouse("A000001", "02")).Committed).toBe(committed - 6);
    const updated = (await client.get(`Orders(${created.DocEntry})`)).body;
    expect(updated).toMatchObject({ Comments: "changed", DocTotal: 452 });
    expect((await client.request("POST", `Orders(${created.DocEntry})/Cancel`)).status).toBe(204);
    expect((await warehouse("A000001", "02")).Committed).toBe(committed - 10);
    const again = await client.request("POST", `Orders(${created.DocEntry})/Cancel`);
    expect(again.body.error).toMatchObject({ code: -5002 });
  });

  it("rejects bad references with SAP codes and writes nothing", async () => {
    const count = sim.store.count("Orders");
    const badCard = await client.request("POST", "Orders", { body: order(1, { CardCode: "NOPE" }) });
    expect(badCard.body.error).toEqual({
      code: -10,
      message: { lang: "en-us", value: "Invalid BP code [ORDR.CardCode] , 'NOPE'" },
    });
    const lines = [
      { ItemCode: "A000001", Quantity: 1 },
      { ItemCode: "NOPE", Quantity: 1 },
    ];
    expect((await client.request("POST", "Orders", { body: order(1, { DocumentLines: lines }) })).body.error.code).toBe(
      -2028,
    );
    const missing = await client.request("POST", "Orders", { body: order(1, { DocumentLines: [{ Quantity: 1 }] }) });
    expect(missing.body.error.message.value).toBe(
      "Item number is missing; specify an item number [DocumentLines.ItemCode][line: 1]",
    );
    expect(sim.store.count("Orders")).toBe(count);
    const next = await client.request("POST", "Orders", { body: order(1) });
    expect(next.body).toMatchObject({ DocEntry: count + 1, DocNum: 200000 + count + 1 });
  });

  it("invoices copy from an order, take stock out and close the order; payments close the invoice", async () => {
    const base = (await client.request("POST", "Orders", { body: order(2) })).body;
    const before = await warehouse("A000001", "02");
    const invoice = await client.request("POST", "Invoices", {
      body: { CardCode: "C00001", DocumentLines: [{ BaseType: 17, BaseEntry: base.DocEntry, BaseLine: 0 }] },
    });
    expect(invoice.status).toBe(201);
    expect(invoice.body).toMatchObject({
      DocNum: 300001,
      DocTotal: 226,
      DocumentLines: [{ BaseType: 17, BaseEntry: base.DocEntry, Quantity: 2 }],
    });
    const after = await warehouse("A000001", "02");
    expect([after.InStock, after.Committed]).toEqual([before.InStock - 2, before.Committed - 2]);
    expect((await client.get(`Orders(${base.DocEntry})`)).body.DocumentStatus).toBe("bost_Close");
    const copyAgain = await client.request("POST", "Invoices", {
      body: { CardCode: "C00001", DocumentLines: [{ BaseType: 17, BaseEntry: base.DocEntry, BaseLine: 0 }] },
    });
    expect(copyAgain.body.error.message.value).toBe(
      "One of the base documents has already been closed  [INV1.BaseEntry][line: 1]",
    );

    const pay = async (sum: number) =>
      client.request("POST", "IncomingPayments", {
        body: {
          CardCode: "C00001",
          TransferSum: sum,
          PaymentInvoices: [{ DocEntry: invoice.body.DocEntry, SumApplied: sum }],
        },
      });
    expect((await pay(100)).status).toBe(201);
    expect((await client.get(`Invoices(${invoice.body.DocEntry})`)).body).toMatchObject({
      PaidToDate: 100,
      DocumentStatus: "bost_Open",
    });
    const rest = await pay(126);
    expect(rest.body).toMatchObject({ DocNum: 400002, PaymentInvoices: [{ LineNum: 0, SumApplied: 126 }] });
    expect((await client.get(`Invoices(${invoice.body.DocEntry})`)).body.DocumentStatus).toBe("bost_Close");
  });

  it("tags documents with an ETag and refuses a stale If-Match with 412 / -2039", async () => {
    const created = await client.request("POST", "Orders", { body: order(1) });
    const etag = created.headers.get("etag");
    expect(etag).toMatch(/^W\/"[0-9A-F]{40}"$/);
    expect(created.body["odata.etag"]).toBe(etag);
    const path = `Orders(${created.body.DocEntry})`;
    expect((await client.get(path)).headers.get("etag")).toBe(etag);
    const fresh = await client.request("PATCH", path, { body: { Comments: "v2" }, headers: { "If-Match": etag! } });
    expect(fresh.status).toBe(204);
    const stale = await client.request("PATCH", path, { body: { Comments: "v3" }, headers: { "If-Match": etag! } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe(-2039);
    expect((await client.get(path)).body.Comments).toBe("v2");
    expect((await client.get("Warehouses('01')")).headers.get("etag")).toBeNull();
  });

  it("blocks negative inventory on invoices", async () => {
    const reply = await client.request("POST", "Invoices", {
      body: { CardCode: "C00001", DocumentLines: [{ ItemCode: "A000001", Quantity: 1000, WarehouseCode: "01" }] },
    });
    expect(reply.body.error).toEqual({
      code: -10,
      message: { lang: "en-us", value: "Quantity falls into negative inventory  [DocumentLines.ItemCode][line: 1]" },
    });
  });

  it("rejects duplicate master data with SAP's messages and honours Prefer: return-no-content", async () => {
    const dup = await client.request("POST", "Items", { body: { ItemCode: "A000001", ItemName: "x" } });
    expect(dup.body.error.message.value).toBe("Item code 'A000001' already exists");
    const created = await client.request("POST", "Items", {
      body: { ItemCode: "NEW-1", ItemName: "新品 瓷砖" },
      headers: { Prefer: "return-no-content" },
    });
    expect(created.status).toBe(204);
    expect(created.headers.get("location")).toBe(`${sim.url}/Items('NEW-1')`);
    expect(created.headers.get("preference-applied")).toBe("return-no-content");
    expect((await client.get("Items('NEW-1')")).body.ItemWarehouseInfoCollection).toHaveLength(4);
  });
});

describe("Items.UpdateDate on stock movements", () => {
  it.each([
    [false, "2026-11-01"],
    [true, "2026-11-23"],
  ])("stockMovesTouchItems=%s leaves the item stamped %s", async (stockMovesTouchItems, expected) => {
    let now = new Date("2026-11-01T08:00:00Z");
    const sim = await startSapB1Simulator({
      seed: "empty",
      clock: () => now,
      stockMovesTouchItems,
      sessionTimeoutMinutes: 60 * 24 * 30,
    });
    try {
      const client = await SlTestClient.login(sim);
      await client.request("POST", "BusinessPartners", { body: { CardCode: "C1", CardName: "佛山宏达建材有限公司" } });
      await client.request("POST", "Items", { body: { ItemCode: "T1", ItemName: "抛光砖" } });
      now = new Date("2026-11-23T09:30:00Z");
      const order = await client.request("POST", "Orders", {
        body: { CardCode: "C1", DocumentLines: [{ ItemCode: "T1", Quantity: 2, UnitPrice: 10 }] },
      });
      expect(order.body.UpdateDate).toBe("2026-11-23");
      const item = (await client.get("Items('T1')")).body;
      expect(item.QuantityOrderedByCustomers).toBe(2);
      expect(item.UpdateDate).toBe(expected);
    } finally {
      await sim.close();
    }
  });
});
