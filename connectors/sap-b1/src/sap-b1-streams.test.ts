import type { ConnectorSession, ExternalRecord, StreamState } from "@kehu/connector-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapB1Simulator } from "../simulator";
import { SlTestClient } from "../simulator/sl-test-client";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

async function read(session: ConnectorSession, stream: string, state?: StreamState) {
  const records: ExternalRecord[] = [];
  let last: StreamState | undefined;
  for await (const message of session.read(stream, state)) {
    if (message.type === "record") records.push(message.record);
    if (message.type === "state") last = message.state;
  }
  return { records, state: last };
}

const byKey = (records: ExternalRecord[], key: string) => new Map(records.map((record) => [record[key], record]));

describe.each(["v1", "v2"] as const)("SAP B1 streams end to end on %s", (version) => {
  let sim: SapB1Simulator;
  let session: ConnectorSession;
  beforeAll(async () => {
    const started = await startSimConnection(version, { sizes: { partners: 30, items: 40 } });
    sim = started.sim;
    session = sapB1Connector.open(started.config);
  });
  afterAll(async () => {
    await session.close();
    await sim.close();
  });

  it("business_partners: pulls every partner, pushes new customers once, patches them, pulls the changes", async () => {
    const full = await read(session, "business_partners");
    expect(full.records.map((r) => r.CardCode).sort()).toEqual(
      sim.store
        .list("BusinessPartners")
        .map((bp) => bp.CardCode)
        .sort(),
    );
    expect(full.records[0].UpdateDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const created = await session.write("business_partners", [
      {
        idempotencyKey: `crm:customer:${version}:1`,
        record: { CardName: "上海建材有限公司", EmailAddress: "buy@sh.example.cn" },
      },
      { idempotencyKey: `crm:customer:${version}:2`, record: { CardCode: `CRM${version}2`, CardName: "Acme" } },
    ]);
    expect(created.map((r) => r.ok && r.created)).toEqual([true, true]);
    const [first, second] = created.map((r) => (r.ok ? r.externalKey : ""));
    expect(first).toMatch(/^K[0-9A-F]{14}$/);
    expect(second).toBe(`CRM${version}2`);
    expect(sim.store.get("BusinessPartners", first)).toMatchObject({
      CardName: "上海建材有限公司",
      CardType: "cCustomer",
    });
    const updated = await session.write("business_partners", [
      { idempotencyKey: `crm:customer:${version}:1`, externalKey: first, record: { Phone1: "021-5555" } },
    ]);
    expect(updated).toEqual([{ ok: true, externalKey: first, created: false }]);
    const delta = await read(session, "business_partners", full.state);
    expect(byKey(delta.records, "CardCode").get(first)).toMatchObject({
      Phone1: "021-5555",
      CardName: "上海建材有限公司",
    });
    expect(delta.records.length).toBeLessThan(full.records.length);
  });

  it("items and item_stock: every item, one stock row per item × warehouse with Available = InStock − Committed + Ordered", async () => {
    const items = await read(session, "items");
    expect(items.records).toHaveLength(40);
    const stock = await read(session, "item_stock");
    const expected = sim.store.list("Items").flatMap((item) =>
      (item.ItemWarehouseInfoCollection as Record<string, number & string>[]).map((row) => ({
        ItemCode: item.ItemCode,
        WarehouseCode: row.WarehouseCode,
        InStock: row.InStock,
        Committed: row.Committed,
        Ordered: row.Ordered,
        Available: row.InStock - row.Committed + row.Ordered,
      })),
    );
    expect(stock.records).toEqual(expected);
    // A whole snapshot ends with the newest item stamp it saw, from which reads go on until the next snapshot.
    expect(stock.state).toEqual({ cursor: expect.any(String), snapshotAt: expect.any(String) });
  });

  it("sales_orders: pushes an order once, which commits stock, and pulls its status back after SAP closes it", async () => {
    const before = await read(session, "sales_orders");
    const stockBefore = byKey(
      (await read(session, "item_stock")).records.filter((r) => r.WarehouseCode === "02"),
      "ItemCode",
    );
    const order = {
      idempotencyKey: `crm:order:${version}:77`,
      record: { CardCode: "C00001", DocumentLines: [{ ItemCode: "A000003", Quantity: 4, WarehouseCode: "02" }] },
    };
    const [result] = await session.write("sales_orders", [order]);
    expect(result).toMatchObject({
      ok: true,
      created: true,
      record: { CardCode: "C00001", DocumentStatus: "bost_Open" },
    });
    const docEntry = result.ok ? result.externalKey : "";
    expect(await session.write("sales_orders", [order])).toEqual([{ ok: true, externalKey: docEntry, created: false }]);
    const stockAfter = byKey(
      (await read(session, "item_stock")).records.filter((r) => r.WarehouseCode === "02"),
      "ItemCode",
    );
    expect(Number(stockAfter.get("A000003")?.Available)).toBe(Number(stockBefore.get("A000003")?.Available) - 4);
    const sl = await SlTestClient.login(sim, version);
    expect((await sl.request("POST", `Orders(${docEntry})/Close`)).status).toBe(204);
    const delta = await read(session, "sales_orders", before.state);
    expect(byKey(delta.records, "DocEntry").get(Number(docEntry))).toMatchObject({
      NumAtCard: order.idempotencyKey,
      DocumentStatus: "bost_Close",
    });
  });

  it("invoices, incoming_payments and bp_balances mirror SAP, payments with the invoices they pay", async () => {
    const invoices = await read(session, "invoices");
    expect(invoices.records.map((r) => r.DocEntry).sort()).toEqual(
      sim.store
        .list("Invoices")
        .map((i) => i.DocEntry)
        .sort(),
    );
    const payments = await read(session, "incoming_payments");
    expect(payments.records).toHaveLength(sim.store.count("IncomingPayments"));
    const invoiceEntries = new Set(invoices.records.map((r) => r.DocEntry));
    for (const payment of payments.records) {
      const applied = payment.PaymentInvoices as { DocEntry: number; SumApplied: number }[];
      expect(applied.length).toBeGreaterThan(0);
      for (const line of applied) expect(invoiceEntries.has(line.DocEntry)).toBe(true);
    }
    expect(payments.state).toEqual({ after: Math.max(...payments.records.map((p) => p.DocEntry as number)) });
    expect((await read(session, "incoming_payments", payments.state)).records).toEqual([]);
    const balances = byKey((await read(session, "bp_balances")).records, "CardCode");
    for (const bp of sim.store.list("BusinessPartners")) {
      expect(balances.get(bp.CardCode)).toMatchObject({
        CurrentAccountBalance: bp.CurrentAccountBalance,
        OpenOrdersBalance: bp.OpenOrdersBalance,
      });
    }
  });
});
