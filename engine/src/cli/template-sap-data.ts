import {
  createDocument,
  createPayment,
  newItem,
  newPartner,
  refreshItemTotals,
  type SapRecord,
  type SapStore,
  type WarehouseInfo,
} from "@kehu/connector-sap-b1/simulator";
import type { Knex } from "knex";

/** What was put into the simulator to match the template's records. */
export interface SapMirror {
  partners: number;
  items: number;
  invoices: number;
  payments: number;
}

/** SAP item groups of the building-materials product categories (the template's items mapping maps them back). */
const ITEM_GROUPS: Record<string, number> = { tile: 101, sanitary: 102, faucet: 103, paint: 104, mosaic: 105 };

/**
 * Fills a SAP B1 simulator with the company data a template's seeded records imply, so a first sync finds what it
 * maps: business partners under the customers' codes, an item per product (or vehicle model) with stock per
 * warehouse, and A/R invoices with incoming payments against the first `payments` open settlement plan lines (or
 * invoiced sales orders). Only the tables the template has are read; other templates get nothing.
 */
export async function mirrorTemplateInSap(knex: Knex, store: SapStore, opts: { payments?: number } = {}) {
  const has = async (table: string) => knex.schema.withSchema("data").hasTable(table);
  const mirror: SapMirror = { partners: 0, items: 0, invoices: 0, payments: 0 };
  if ((await has("product")) && (await has("settlement_plan")))
    await mirrorBuildingMaterials(knex, store, mirror, opts.payments ?? 6);
  else if (await has("vehicle_model")) await mirrorAutoDealer(knex, store, mirror, opts.payments ?? 6);
  return mirror;
}

/** A stable pseudo-random number in [0, n) from a text, so the same seed gives the same stock. */
function spread(text: string, n: number): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return (h >>> 0) % n;
}

function addItem(
  store: SapStore,
  code: string,
  name: string,
  extra: SapRecord,
  price: number,
  stock: (wh: string) => number,
) {
  const warehouses = store.list("Warehouses").map((wh) => wh.WarehouseCode as string);
  const item = newItem(store.clock(), code, name, warehouses);
  Object.assign(item, extra, {
    ItemPrices: [{ PriceList: 1, Price: price, Currency: "CNY", BasePriceList: 1, Factor: 1 }],
  });
  for (const row of item.ItemWarehouseInfoCollection as WarehouseInfo[]) row.InStock = stock(row.WarehouseCode);
  refreshItemTotals(item);
  store.insert("Items", code, item);
}

function addPartner(store: SapStore, code: string, name: string): void {
  if (store.get("BusinessPartners", code)) return;
  store.insert("BusinessPartners", code, newPartner(store.clock(), code, name, "cCustomer"));
}

/** An A/R invoice of `amount` (VAT included) under `reference`, paid by a transfer carrying `transfer` and `remarks`. */
function invoiceAndPay(
  store: SapStore,
  doc: { card: string; item: string; reference: string; amount: number; transfer: string; remarks?: string },
) {
  const invoice = createDocument(store, "Invoices", {
    CardCode: doc.card,
    NumAtCard: doc.reference,
    DocumentLines: [{ ItemCode: doc.item, Quantity: 1, UnitPrice: Math.round((doc.amount / 1.13) * 100) / 100 }],
  });
  createPayment(store, {
    CardCode: doc.card,
    TransferSum: doc.amount,
    TransferAccount: "_SYS00000000089",
    TransferReference: doc.transfer,
    Remarks: doc.remarks,
    PaymentInvoices: [{ DocEntry: invoice.DocEntry, SumApplied: Math.min(doc.amount, Number(invoice.DocTotal)) }],
  });
}

async function mirrorBuildingMaterials(knex: Knex, store: SapStore, mirror: SapMirror, payments: number) {
  const customers = await knex("data.customer").whereNull("deleted_at").whereNotNull("code").select("code", "name");
  for (const c of customers) addPartner(store, c.code, c.name);
  mirror.partners = customers.length;
  const products = await knex("data.product").whereNull("deleted_at").orderBy("sku").select();
  for (const p of products)
    addItem(
      store,
      p.sku,
      p.name,
      { ItemsGroupCode: ITEM_GROUPS[p.category] ?? 100, InventoryUOM: p.unit ?? "PCS" },
      Number(p.list_price ?? 0),
      (wh) => (spread(`${p.sku}/${wh}`, 10) < 7 ? 100 + spread(`${wh}/${p.sku}`, 1900) : 0),
    );
  mirror.items = products.length;
  if (!products.length) return;
  // The first open lines, by due date, of active contracts: each gets an invoice and a payment that covers it.
  const open = await knex("data.settlement_plan as s")
    .join("data.contract as c", "c.id", "s.contract")
    .join("data.customer as cu", "cu.id", "c.customer")
    .whereNull("s.deleted_at")
    .whereNotNull("s.code")
    .whereIn("s.status", ["planned", "reminded", "overdue"])
    .where("c.status", "active")
    .whereNotNull("cu.code")
    .orderBy("s.due_on")
    .orderBy("s.code")
    .limit(payments)
    .select("s.code", "s.amount", "c.number", "cu.code as card");
  const item = stockedItem(store);
  for (const line of open) {
    invoiceAndPay(store, {
      card: line.card,
      item,
      reference: line.number,
      amount: Number(line.amount),
      transfer: line.number,
      remarks: line.code,
    });
    mirror.invoices++;
    mirror.payments++;
  }
}

async function mirrorAutoDealer(knex: Knex, store: SapStore, mirror: SapMirror, invoices: number) {
  // The dealer's own warehouses (the vehicles' warehouse codes) stand beside SAP's.
  const vehicles = await knex("data.vehicle")
    .whereNull("deleted_at")
    .select("vehicle_model", "warehouse", "stock_status");
  for (const wh of new Set(vehicles.map((v) => v.warehouse as string | null).filter((w): w is string => !!w)))
    if (!store.get("Warehouses", wh))
      store.insert("Warehouses", wh, { WarehouseCode: wh, WarehouseName: wh, Inactive: "tNO", Country: "CN" });
  const models = await knex("data.vehicle_model").whereNull("deleted_at").orderBy("code").select();
  for (const m of models) {
    const inStock = (wh: string) =>
      vehicles.filter((v) => v.vehicle_model === m.id && v.warehouse === wh && v.stock_status === "in_stock").length;
    addItem(store, m.code, m.name, { InventoryUOM: "台" }, Number(m.msrp ?? 0), inStock);
  }
  mirror.items = models.length;
  if (!models.length) return;
  const orders = await knex("data.sales_order as o")
    .join("data.customer as cu", "cu.id", "o.customer")
    .whereNull("o.deleted_at")
    .whereNotNull("o.contract_no")
    .whereIn("o.status", ["paid", "delivered"])
    .orderBy("o.contract_no")
    .limit(invoices)
    .select("o.contract_no", "o.amount", "cu.name", "cu.sap_card_code");
  const item = stockedItem(store);
  // Sold vehicles left the yard already: their invoices may take SAP's stock of the model below zero.
  const blocking = store.blockNegativeStock;
  store.blockNegativeStock = false;
  orders.forEach((o, i) => {
    const card = o.sap_card_code ?? `AD${String(i + 1).padStart(5, "0")}`;
    addPartner(store, card, o.name);
    mirror.partners++;
    invoiceAndPay(store, {
      card,
      item,
      reference: o.contract_no,
      amount: Number(o.amount),
      transfer: o.contract_no,
    });
    mirror.invoices++;
    mirror.payments++;
  });
  store.blockNegativeStock = blocking;
}

/** The item and warehouse with the most stock, for invoice lines (an invoice issues stock). */
function stockedItem(store: SapStore): string {
  const rows = store.list("Items").flatMap((i) => i.ItemWarehouseInfoCollection as WarehouseInfo[]);
  const row = rows.reduce((best, r) => (r.InStock > best.InStock ? r : best), rows[0]);
  const item = store.get("Items", row.ItemCode)!;
  store.update("Items", item.ItemCode as string, (i) => {
    i.DefaultWarehouse = row.WarehouseCode;
  });
  return item.ItemCode as string;
}
