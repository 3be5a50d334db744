import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapRecord } from "../../connectors/sap-b1/simulator/index";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, type SapBed, sapMappings } from "./sap-b1-bed";

// The acceptance size (10,000 items, 2,000 orders) on PostgreSQL or with SYNC_FULL=1; a tenth of it on PGlite.
const full = !!process.env.DATABASE_URL || process.env.SYNC_FULL === "1";
const ITEMS = full ? 10_000 : 1_000;
const ORDERS = full ? 2_000 : 200;
const wanted = new Set(["sap_partners", "sap_items", "sap_item_stock", "sap_orders", "sap_orders_push"]);

let bed: SapBed;
beforeAll(async () => {
  bed = await openSapBed({
    sim: {
      sizes: { partners: 30, items: ITEMS, orders: 0, invoices: 0, payments: 0 },
      faults: { seed: 7, errorRate: 0.1, dropRate: 0.03, lostResponseRate: 0.03, sessionExpiresAfterRequests: 50 },
    },
    mappings: sapMappings.filter((m) => wanted.has(m.name)),
    // Orders commit stock without touching their items here, so every run reads the stock snapshot whole.
    config: { pageSize: 100, retryAttempts: 10, stockSnapshotHours: 0 },
  });
}, 120_000);
afterAll(() => bed?.close());

const knex = () => bed.services.knex;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** CRM orders for stocked items, one line each, spread over the customers Kehu pulled. */
async function createCrmOrders(count: number): Promise<void> {
  const customers = await knex()("data.bp").where({ kind: "customer" }).orderBy("code").select("id");
  const stocked = bed.sim.store
    .list("Items")
    .filter((i) =>
      (i.ItemWarehouseInfoCollection as SapRecord[]).some((w) => w.WarehouseCode === "01" && Number(w.InStock) >= 20),
    )
    .map((i) => i.ItemCode as string);
  const rows = Array.from({ length: count }, (_, n) => ({
    customer: customers[n % customers.length].id,
    comments: `CRM order ${n}`,
    lines: JSON.stringify([{ ItemCode: stocked[n % stocked.length], Quantity: 1, WarehouseCode: "01" }]),
  }));
  for (let i = 0; i < rows.length; i += 500) await knex()("data.order").insert(rows.slice(i, i + 500));
}

describe(`a full sync of ${ITEMS} items and ${ORDERS} orders through 10% 5xx, dropped connections and session expiry`, () => {
  it("ends with exactly the simulator's data in Kehu and no order twice in SAP", { timeout: 900_000 }, async () => {
    // Customers first: the CRM orders need them.
    await runSync(bed.services, { connection: "sap", streams: ["business_partners"], retry: { baseDelayMs: 50 } });
    await createCrmOrders(ORDERS);
    const loginsBefore = bed.sim.sessions.loginCount;
    const run = await runSync(bed.services, { connection: "sap", full: true, retry: { baseDelayMs: 50 } });
    expect(run).toMatchObject({ status: "succeeded", failed: 0 });
    // The pushed orders come back with their numbers and status on the next (incremental) run.
    const back = await runSync(bed.services, { connection: "sap", retry: { baseDelayMs: 50 } });
    expect(back).toMatchObject({ status: "succeeded", failed: 0, created: 0 });
    // Sessions expired every 50 requests and the connector logged in again each time.
    expect(bed.sim.sessions.loginCount - loginsBefore).toBeGreaterThanOrEqual(2);

    const sapOrders = bed.sim.store.list("Orders");
    const byRef = new Map<string, number>();
    for (const o of sapOrders) byRef.set(String(o.NumAtCard), (byRef.get(String(o.NumAtCard)) ?? 0) + 1);
    expect([...byRef.values()].filter((n) => n > 1)).toEqual([]);
    expect(sapOrders).toHaveLength(ORDERS);
    const crmOrders = await knex()("data.order").select("id", "doc_entry", "reference", "status", "total");
    expect(crmOrders).toHaveLength(ORDERS);
    expect(crmOrders.map((o) => [o.doc_entry, o.reference, o.status, num(o.total)]).sort()).toEqual(
      sapOrders.map((o) => [o.DocEntry, o.NumAtCard, o.DocumentStatus, num(o.DocTotal)]).sort(),
    );
    expect(crmOrders.every((o) => o.reference === `kehu:order:${o.id}:1`)).toBe(true);

    const items = bed.sim.store.list("Items");
    const crmItems = await knex()("data.item").select("code", "name", "on_hand");
    expect(crmItems.map((i) => [i.code, i.name, num(i.on_hand)]).sort()).toEqual(
      items.map((i) => [i.ItemCode, i.ItemName, num(i.QuantityOnStock)]).sort(),
    );
    // Stock as it stands after the orders committed theirs (the second run re-read the snapshot).
    const stock = await knex()("data.stock as s")
      .join("data.item as i", "i.id", "s.item")
      .select("i.code", "s.warehouse", "s.in_stock", "s.committed", "s.ordered");
    expect(stock.map((s) => [s.code, s.warehouse, num(s.in_stock), num(s.committed), num(s.ordered)]).sort()).toEqual(
      items
        .flatMap((i) =>
          (i.ItemWarehouseInfoCollection as SapRecord[]).map((w) => [
            i.ItemCode,
            w.WarehouseCode,
            num(w.InStock),
            num(w.Committed),
            num(w.Ordered),
          ]),
        )
        .sort(),
    );
    const committed = items.reduce((sum, i) => sum + Number(i.QuantityOrderedByCustomers), 0);
    expect(committed).toBe(ORDERS);
  });
});
