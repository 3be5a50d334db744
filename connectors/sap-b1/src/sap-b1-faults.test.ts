import type { ExternalRecord, WriteRecord } from "@kehu/connector-kit";
import { describe, expect, it } from "vitest";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

async function readAll(session: ReturnType<typeof sapB1Connector.open>, stream: string) {
  const records: ExternalRecord[] = [];
  let checkpoints = 0;
  for await (const message of session.read(stream, undefined)) {
    if (message.type === "record") records.push(message.record);
    else if (message.type === "state") checkpoints++;
  }
  return { records, checkpoints };
}

describe.each(["v1", "v2"] as const)("SAP B1 connector under faults on %s", (version) => {
  it("reads 10,000 items through session expiry every 50 requests, 10% empty 5xx and dropped connections", {
    timeout: 180_000,
  }, async () => {
    const { sim, config } = await startSimConnection(
      version,
      {
        sizes: { items: 10_000, partners: 20, orders: 0, invoices: 0, payments: 0 },
        faults: { seed: 11, errorRate: 0.1, dropRate: 0.05, sessionExpiresAfterRequests: 50 },
      },
      { pageSize: 100, retryAttempts: 8 },
    );
    const session = sapB1Connector.open(config);
    try {
      const { records, checkpoints } = await readAll(session, "items");
      const codes = records.map((record) => record.ItemCode as string);
      expect(new Set(codes).size).toBe(codes.length);
      const expected = sim.store.list("Items");
      expect(codes.sort()).toEqual(expected.map((item) => item.ItemCode as string).sort());
      const stock = new Map(expected.map((item) => [item.ItemCode, item.QuantityOnStock]));
      expect(records.every((record) => record.QuantityOnStock === stock.get(record.ItemCode))).toBe(true);
      expect(checkpoints).toBeGreaterThanOrEqual(100);
    } finally {
      await session.close();
      await sim.close();
    }
  });

  it("pushes 200 orders through faults and lost responses: exactly 200 orders, none twice", {
    timeout: 180_000,
  }, async () => {
    const { sim, config } = await startSimConnection(
      version,
      {
        sizes: { partners: 30, items: 60, orders: 0, invoices: 0, payments: 0 },
        faults: { seed: 5, errorRate: 0.1, dropRate: 0.05, lostResponseRate: 0.15, sessionExpiresAfterRequests: 50 },
      },
      { retryAttempts: 10 },
    );
    const records: WriteRecord[] = Array.from({ length: 200 }, (_, n) => ({
      idempotencyKey: `crm-order-${version}-${n}`,
      record: {
        CardCode: `C${String((n % 8) + 1).padStart(5, "0")}`,
        Comments: `CRM order ${n}`,
        DocumentLines: [
          { ItemCode: `A${String((n % 50) + 1).padStart(6, "0")}`, Quantity: 1 + (n % 3), WarehouseCode: "01" },
        ],
      },
    }));
    const session = sapB1Connector.open(config);
    try {
      const results = await session.write("sales_orders", records);
      expect(results.filter((result) => !result.ok)).toEqual([]);
      const orders = sim.store.list("Orders");
      expect(orders).toHaveLength(200);
      const keys = orders.map((order) => order.NumAtCard);
      expect(new Set(keys)).toEqual(new Set(records.map((record) => record.idempotencyKey)));
      // Each result points at the order carrying its key.
      const byKey = new Map(orders.map((order) => [order.NumAtCard, String(order.DocEntry)]));
      results.forEach((result, n) => {
        expect(result.ok && result.externalKey).toBe(byKey.get(records[n].idempotencyKey));
      });
      // A lost response hid a create that happened; the lookup found it instead of posting again.
      expect(results.some((result) => result.ok && !result.created)).toBe(true);
      const again = await session.write("sales_orders", records.slice(0, 20));
      expect(again.every((result) => result.ok && !result.created)).toBe(true);
      expect(sim.store.count("Orders")).toBe(200);
    } finally {
      await session.close();
      await sim.close();
    }
  });
});
