import { describeConnectorConformance } from "@kehu/connector-kit/conformance";
import { afterAll, beforeAll, describe } from "vitest";
import type { SapB1Simulator } from "../simulator";
import type { SapB1Config } from "./sap-b1-config";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

describe.each(["v1", "v2"] as const)("SAP B1 connector on Service Layer %s", (version) => {
  let sim: SapB1Simulator;
  let config: SapB1Config;
  let serial = 0;
  beforeAll(async () => {
    ({ sim, config } = await startSimConnection(version));
  });
  afterAll(() => sim.close());

  const fresh = (prefix: string) => `${prefix}-${version}-${Date.now()}-${++serial}`;
  describeConnectorConformance<SapB1Config>({
    connector: sapB1Connector,
    config: () => config,
    badCredentials: () => ({ ...config, password: "wrong-password" }),
    unreachable: () => ({ ...config, baseUrl: "http://127.0.0.1:9", retryAttempts: 2 }),
    streams: {
      business_partners: {
        minRecords: 60,
        // Rows stamped within overlapMinutes of the cursor come again; seed data is hours apart, so at most the boundary row.
        maxOverlap: 2,
        write: {
          records: () =>
            [1, 2, 3].map((n) => ({
              idempotencyKey: fresh(`crm-customer-${n}`),
              record: { CardName: `测试客户 ${n}`, Phone1: "020-1234567", FederalTaxID: `91440101MA${n}` },
            })),
          count: async () => sim.store.count("BusinessPartners"),
        },
      },
      items: { minRecords: 240, maxOverlap: 2 },
      item_stock: { minRecords: 240 * 3 },
      sales_orders: {
        minRecords: 30,
        maxOverlap: 2,
        write: {
          records: () =>
            [1, 2, 3].map((n) => ({
              idempotencyKey: fresh(`crm-order-${n}`),
              record: {
                CardCode: "C00001",
                Comments: `CRM order ${n}`,
                DocumentLines: [{ ItemCode: "A000002", Quantity: n, WarehouseCode: "01" }],
              },
            })),
          invalid: () => ({
            idempotencyKey: fresh("crm-order-bad"),
            record: { CardCode: "NO-SUCH-BP", DocumentLines: [{ ItemCode: "A000002", Quantity: 1 }] },
          }),
          count: async () => sim.store.count("Orders"),
        },
      },
      invoices: { minRecords: 20, maxOverlap: 2 },
      incoming_payments: { minRecords: 10 },
      bp_balances: { minRecords: 60 },
    },
  });
});
