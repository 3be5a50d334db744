import { categories, companyName, demoWarehouses } from "./demo-catalog";
import { createDocument, type DocumentSet } from "./documents";
import { newItem, newPartner } from "./master-data";
import { createPayment } from "./payments";
import { createPrng, type Prng } from "./prng";
import { refreshItemTotals, type WarehouseInfo } from "./stock";
import type { SapRecord, SapStore } from "./store";

export type SeedSizes = { partners: number; items: number; orders: number; invoices: number; payments: number };
export const demoSizes: SeedSizes = { partners: 60, items: 240, orders: 40, invoices: 25, payments: 12 };

const DAY = 86_400_000;

/**
 * Fills the store deterministically from a seed: warehouses, partners, items with stock, then orders, invoices
 * (half copied from orders) and payments posted through the same code as the API. Change dates fall in the
 * `days` before `until`, oldest first.
 */
export function seedDemoData(
  store: SapStore,
  seed: string,
  sizes: SeedSizes,
  until = new Date("2026-11-01T00:00:00Z"),
) {
  const prng = createPrng(seed);
  const clock = steppingClock(until, sizes, 120);
  const realClock = store.clock;
  store.clock = () => clock.next();
  try {
    for (const wh of demoWarehouses) store.insert("Warehouses", wh.WarehouseCode, warehouse(wh));
    const customers = seedPartners(store, prng, sizes.partners, clock);
    seedItems(store, prng, sizes.items, clock);
    seedDocuments(store, prng, customers, sizes);
  } finally {
    store.clock = realClock;
  }
}

function warehouse(wh: (typeof demoWarehouses)[number]): SapRecord {
  return { ...wh, Inactive: "tNO", Street: null, Country: "CN", EnableBinLocations: "tNO", BusinessPlaceID: 1 };
}

function seedPartners(store: SapStore, prng: Prng, count: number, clock: { next(): Date }): string[] {
  const customers: string[] = [];
  for (let i = 1; i <= count; i++) {
    const type = i % 10 === 0 ? "cSupplier" : i % 10 === 9 ? "cLid" : "cCustomer";
    const code = `${type === "cSupplier" ? "S" : type === "cLid" ? "L" : "C"}${String(i).padStart(5, "0")}`;
    const partner = newPartner(clock.next(), code, companyName(prng, i), type);
    Object.assign(partner, {
      Phone1: `020-${prng.int(80000000, 89999999)}`,
      EmailAddress: `purchase${i}@example.cn`,
      CreditLimit: prng.int(5, 200) * 10_000,
    });
    store.insert("BusinessPartners", code, partner);
    if (type === "cCustomer") customers.push(code);
  }
  return customers;
}

function seedItems(store: SapStore, prng: Prng, count: number, clock: { next(): Date }): void {
  const warehouses = demoWarehouses.map((wh) => wh.WarehouseCode);
  for (let i = 1; i <= count; i++) {
    const category = categories[(i - 1) % categories.length];
    const code = `A${String(i).padStart(6, "0")}`;
    const name = `${prng.pick(category.names)} ${prng.pick(category.specs)}`;
    const item = newItem(clock.next(), code, name, warehouses);
    const price = prng.int(category.price[0], category.price[1]);
    Object.assign(item, {
      ForeignName: `${category.english} ${code}`,
      ItemsGroupCode: category.group,
      InventoryUOM: category.uom,
      BarCode: `69${String(1_000_000_000 + i * 7919).slice(0, 11)}`,
      DefaultWarehouse: prng.pick(warehouses),
      ItemPrices: [
        { PriceList: 1, Price: price, Currency: "CNY", BasePriceList: 1, Factor: 1 },
        { PriceList: 2, Price: Math.round(price * 0.85), Currency: "CNY", BasePriceList: 1, Factor: 0.85 },
      ],
    });
    for (const row of item.ItemWarehouseInfoCollection as WarehouseInfo[]) {
      const stocked = prng.next() < 0.7;
      row.InStock = stocked ? prng.int(20, 2000) : 0;
      row.Ordered = prng.next() < 0.2 ? prng.int(10, 300) : 0;
      row.MinimalStock = stocked ? 20 : 0;
    }
    refreshItemTotals(item);
    store.insert("Items", code, item);
  }
}

function seedDocuments(store: SapStore, prng: Prng, customers: string[], sizes: SeedSizes): void {
  const items = store.list("Items").filter((item) => Number(item.QuantityOnStock) > 50);
  if (customers.length === 0 || items.length === 0) return;
  const post = (set: DocumentSet, body: SapRecord) => {
    try {
      return createDocument(store, set, body);
    } catch {
      return undefined;
    }
  };
  const orders: SapRecord[] = [];
  for (let i = 0; i < sizes.orders; i++) {
    const order = post("Orders", {
      CardCode: prng.pick(customers),
      NumAtCard: `PO-${20260000 + i}`,
      DocumentLines: randomLines(prng, items),
    });
    if (order) orders.push(order);
  }
  for (let i = 0; i < sizes.invoices; i++) {
    const base = i % 2 === 0 ? orders[i] : undefined;
    const body = base
      ? { CardCode: base.CardCode, DocumentLines: [{ BaseType: 17, BaseEntry: base.DocEntry, BaseLine: 0 }] }
      : { CardCode: prng.pick(customers), DocumentLines: randomLines(prng, items) };
    post("Invoices", body);
  }
  const invoices = store.list("Invoices");
  for (let i = 0; i < Math.min(sizes.payments, invoices.length); i++) {
    const invoice = invoices[i];
    const sum = i % 3 === 0 ? Number(invoice.DocTotal) : Math.round(Number(invoice.DocTotal) / 2);
    createPayment(store, {
      CardCode: invoice.CardCode,
      TransferSum: sum,
      TransferAccount: "_SYS00000000089",
      TransferReference: `BANK-${7000 + i}`,
      PaymentInvoices: [{ DocEntry: invoice.DocEntry, SumApplied: sum }],
    });
  }
}

function randomLines(prng: Prng, items: SapRecord[]): SapRecord[] {
  return Array.from({ length: prng.int(1, 4) }, () => {
    const item = prng.pick(items);
    const rows = item.ItemWarehouseInfoCollection as WarehouseInfo[];
    const row = rows.find((candidate) => candidate.InStock > 50) ?? rows[0];
    return { ItemCode: item.ItemCode, Quantity: prng.int(1, 20), WarehouseCode: row.WarehouseCode };
  });
}

/** Hands out increasing timestamps spread over `days` up to `until`, one per seeded change. */
function steppingClock(until: Date, sizes: SeedSizes, days: number) {
  const total = sizes.partners + sizes.items + sizes.orders + 2 * (sizes.invoices + sizes.payments) + 1;
  const start = until.getTime() - days * DAY;
  const step = Math.max(1, Math.floor((days * DAY) / total));
  let at = start;
  return {
    next: () => {
      at = Math.min(at + step, until.getTime());
      return new Date(Math.floor(at / 1000) * 1000);
    },
  };
}
