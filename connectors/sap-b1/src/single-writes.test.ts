import type { WriteRecord } from "@kehu/connector-kit";
import { describe, expect, it } from "vitest";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

describe("SAP B1 writes without $batch", () => {
  it("posts one order per request through faults and lost responses: each once, a refusal reported", {
    timeout: 120_000,
  }, async () => {
    const { sim, config } = await startSimConnection(
      "v2",
      {
        sizes: { partners: 20, items: 40, orders: 0, invoices: 0, payments: 0 },
        faults: { seed: 3, errorRate: 0.1, dropRate: 0.05, lostResponseRate: 0.15, sessionExpiresAfterRequests: 30 },
      },
      { retryAttempts: 10, batchWrites: false },
    );
    const records: WriteRecord[] = Array.from({ length: 60 }, (_, n) => ({
      idempotencyKey: `crm-single-${n}`,
      record: {
        CardCode: `C${String((n % 8) + 1).padStart(5, "0")}`,
        DocumentLines: [{ ItemCode: `A${String((n % 30) + 1).padStart(6, "0")}`, Quantity: 1, WarehouseCode: "01" }],
      },
    }));
    records.push({
      idempotencyKey: "crm-single-bad",
      record: { CardCode: "NOPE", DocumentLines: records[0].record.DocumentLines },
    });
    const session = sapB1Connector.open(config);
    try {
      const results = await session.write("sales_orders", records);
      expect(results.slice(0, 60).filter((result) => !result.ok)).toEqual([]);
      expect(results[60]).toMatchObject({
        ok: false,
        retryable: false,
        message: expect.stringMatching(/NOPE|-2028|BP/),
      });
      const orders = sim.store.list("Orders");
      expect(orders.map((order) => order.NumAtCard).sort()).toEqual(
        records
          .slice(0, 60)
          .map((record) => record.idempotencyKey)
          .sort(),
      );
      const byKey = new Map(orders.map((order) => [order.NumAtCard, String(order.DocEntry)]));
      results.slice(0, 60).forEach((result, n) => {
        expect(result.ok && result.externalKey).toBe(byKey.get(records[n].idempotencyKey));
      });
    } finally {
      await session.close();
      await sim.close();
    }
  });
});
