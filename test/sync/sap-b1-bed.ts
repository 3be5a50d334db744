import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  defaultCredentials,
  type FaultConfig,
  type SapB1Simulator,
  type SapB1SimulatorOptions,
  startSapB1Simulator,
} from "../../connectors/sap-b1/simulator/index";
import { createEngine, type Engine } from "../../engine/src/create-engine";
import { createLogger } from "../../engine/src/logger";
import type { Database } from "../../engine/src/storage/database";
import { checkConnection, saveConnection } from "../../engine/src/sync/connection-store";
import { builtInConnectors } from "../../engine/src/sync/connector-registry";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { SecretBox } from "../../engine/src/sync/secret-box";
import { type SyncServices, syncServicesOf } from "../../engine/src/sync/sync-services";
import { defineEntities } from "../../engine/src/testing/define-entities";
import { openTestDatabase } from "../../engine/src/testing/test-database";
import type { EntityDefinition, SyncMapping } from "../../packages/schema/src/index";

/** Entities a CRM keeps of what SAP Business One owns: partners, items, stock, orders, invoices, payments, balances. */
export const sapEntities: EntityDefinition[] = [
  {
    name: "bp",
    titleField: "name",
    ownership: "none",
    fields: [
      { name: "code", type: "text", unique: true },
      { name: "name", type: "text", required: true },
      { name: "kind", type: "enum", values: ["customer", "supplier", "lead"] },
      { name: "group_code", type: "integer" },
      { name: "phone", type: "text" },
      { name: "email", type: "text" },
      { name: "credit_limit", type: "decimal", precision: 18, scale: 2 },
    ],
  },
  {
    name: "bp_balance",
    ownership: "none",
    fields: [
      { name: "code", type: "text", unique: true, required: true },
      { name: "partner", type: "reference", target: "bp" },
      { name: "balance", type: "decimal", precision: 18, scale: 2 },
      { name: "open_orders", type: "decimal", precision: 18, scale: 2 },
    ],
  },
  {
    name: "item",
    titleField: "name",
    ownership: "none",
    fields: [
      { name: "code", type: "text", unique: true, required: true },
      { name: "name", type: "text" },
      { name: "group_code", type: "integer" },
      { name: "uom", type: "text" },
      { name: "on_hand", type: "decimal", precision: 18, scale: 3 },
      { name: "prices", type: "json" },
    ],
  },
  {
    name: "stock",
    ownership: "none",
    fields: [
      { name: "item", type: "reference", target: "item" },
      { name: "warehouse", type: "text" },
      { name: "in_stock", type: "decimal", precision: 18, scale: 3 },
      { name: "committed", type: "decimal", precision: 18, scale: 3 },
      { name: "ordered", type: "decimal", precision: 18, scale: 3 },
      { name: "available", type: "decimal", precision: 18, scale: 3 },
    ],
  },
  {
    name: "order",
    ownership: "none",
    fields: [
      { name: "doc_entry", type: "integer", unique: true },
      { name: "doc_num", type: "integer" },
      { name: "customer", type: "reference", target: "bp" },
      { name: "reference", type: "text" },
      { name: "status", type: "text" },
      { name: "total", type: "decimal", precision: 18, scale: 2 },
      { name: "comments", type: "text" },
      { name: "lines", type: "json" },
    ],
  },
  {
    name: "invoice",
    ownership: "none",
    fields: [
      { name: "doc_entry", type: "integer", unique: true, required: true },
      { name: "doc_num", type: "integer" },
      { name: "customer", type: "reference", target: "bp" },
      { name: "total", type: "decimal", precision: 18, scale: 2 },
      { name: "paid", type: "decimal", precision: 18, scale: 2 },
      { name: "status", type: "text" },
      { name: "lines", type: "json" },
    ],
  },
  {
    name: "payment",
    ownership: "none",
    fields: [
      { name: "doc_entry", type: "integer", unique: true, required: true },
      { name: "customer", type: "reference", target: "bp" },
      { name: "transfer_sum", type: "decimal", precision: 18, scale: 2 },
      { name: "cash_sum", type: "decimal", precision: 18, scale: 2 },
      { name: "reference", type: "text" },
      { name: "cancelled", type: "boolean" },
      { name: "applied", type: "json" },
    ],
  },
];

const bpLookup = { lookup: { entity: "bp", by: "code", from: "CardCode" } };

export const partnerMapping: SyncMapping = {
  name: "sap_partners",
  connection: "sap",
  stream: "business_partners",
  entity: "bp",
  direction: "both",
  key: { external: ["CardCode"], entity: "code" },
  fields: {
    code: "CardCode",
    name: "CardName",
    kind: { valueMap: { field: "CardType", map: { cCustomer: "customer", cSupplier: "supplier", cLid: "lead" } } },
    group_code: "GroupCode",
    phone: "Phone1",
    email: "EmailAddress",
    credit_limit: "CreditLimit",
  },
  conflict: "manual",
};

export const sapMappings: SyncMapping[] = [
  partnerMapping,
  {
    name: "sap_balances",
    connection: "sap",
    stream: "bp_balances",
    entity: "bp_balance",
    direction: "pull",
    key: { external: ["CardCode"], entity: "code" },
    fields: {
      code: "CardCode",
      partner: bpLookup,
      balance: "CurrentAccountBalance",
      open_orders: "OpenOrdersBalance",
    },
  },
  {
    name: "sap_items",
    connection: "sap",
    stream: "items",
    entity: "item",
    direction: "pull",
    key: { external: ["ItemCode"], entity: "code" },
    fields: {
      code: "ItemCode",
      name: "ItemName",
      group_code: "ItemsGroupCode",
      uom: "InventoryUOM",
      on_hand: "QuantityOnStock",
      prices: "ItemPrices",
    },
  },
  {
    name: "sap_item_stock",
    connection: "sap",
    stream: "item_stock",
    entity: "stock",
    direction: "pull",
    key: { external: ["ItemCode", "WarehouseCode"] },
    fields: {
      item: { lookup: { entity: "item", by: "code", from: "ItemCode" } },
      warehouse: "WarehouseCode",
      in_stock: "InStock",
      committed: "Committed",
      ordered: "Ordered",
      available: "Available",
    },
  },
  {
    name: "sap_orders",
    connection: "sap",
    stream: "sales_orders",
    entity: "order",
    direction: "pull",
    key: { external: ["DocEntry"], entity: "doc_entry" },
    fields: {
      doc_entry: "DocEntry",
      doc_num: "DocNum",
      customer: bpLookup,
      reference: "NumAtCard",
      status: "DocumentStatus",
      total: "DocTotal",
      comments: "Comments",
      lines: "DocumentLines",
    },
  },
  {
    name: "sap_orders_push",
    connection: "sap",
    stream: "sales_orders",
    entity: "order",
    direction: "push",
    key: { external: ["DocEntry"], entity: "doc_entry" },
    fields: { customer: bpLookup, comments: "Comments", lines: "DocumentLines" },
  },
  {
    name: "sap_invoices",
    connection: "sap",
    stream: "invoices",
    entity: "invoice",
    direction: "pull",
    key: { external: ["DocEntry"], entity: "doc_entry" },
    fields: {
      doc_entry: "DocEntry",
      doc_num: "DocNum",
      customer: bpLookup,
      total: "DocTotal",
      paid: "PaidToDate",
      status: "DocumentStatus",
      lines: "DocumentLines",
    },
  },
  {
    name: "sap_payments",
    connection: "sap",
    stream: "incoming_payments",
    entity: "payment",
    direction: "pull",
    key: { external: ["DocEntry"], entity: "doc_entry" },
    fields: {
      doc_entry: "DocEntry",
      customer: bpLookup,
      transfer_sum: "TransferSum",
      cash_sum: "CashSum",
      reference: "TransferReference",
      cancelled: "Cancelled",
      applied: "PaymentInvoices",
    },
  },
];

export interface SapBed {
  engine: Engine;
  services: SyncServices;
  sim: SapB1Simulator;
  /** The simulator's fault settings: rates and latency change live between runs; session expiry is set at start. */
  faults: FaultConfig;
  close(): Promise<void>;
}

export interface SapBedOptions {
  sim?: SapB1SimulatorOptions;
  mappings?: SyncMapping[];
  apiVersion?: "v1" | "v2";
  /** Connector config overrides (pageSize, concurrency, retryAttempts, …). */
  config?: Record<string, unknown>;
  db?: Database;
}

/** A Service Layer simulator on a real socket, an engine with the SAP entities, connection `sap` and its mappings. */
/** The connection `sap` to a simulator as its default manager user, `config` overriding or adding fields. */
export function simConnection(sim: SapB1Simulator, config: Record<string, unknown> = {}) {
  return {
    name: "sap",
    connector: "sap-b1",
    config: {
      baseUrl: sim.origin,
      companyDb: defaultCredentials.companyDB,
      userName: defaultCredentials.userName,
      password: defaultCredentials.password,
      ...config,
    },
  };
}

export async function openSapBed(options: SapBedOptions = {}): Promise<SapBed> {
  const faults: FaultConfig = { ...options.sim?.faults };
  const sim = await startSapB1Simulator({ seed: "demo", ...options.sim, faults });
  const engine = await createEngine(options.db ?? (await openTestDatabase()), createLogger("silent"));
  await defineEntities(engine.ctx, sapEntities);
  const services = syncServicesOf(engine.ctx, {
    connectors: builtInConnectors(),
    secrets: new SecretBox(randomBytes(32)),
  });
  await saveConnection(
    services,
    simConnection(sim, { apiVersion: options.apiVersion ?? "v2", pageSize: 50, ...options.config }),
  );
  await checkConnection(services, "sap");
  for (const m of options.mappings ?? sapMappings) await saveMapping(services.knex, services.registry, m);
  return {
    engine,
    services,
    sim,
    faults,
    close: async () => {
      await engine.close();
      await sim.close();
    },
  };
}

/** A bare Service Layer GET with a fresh session: what SAP itself answers, for comparisons. */
export async function slGet(sim: SapB1Simulator, path: string): Promise<Record<string, unknown>> {
  const root = `${sim.origin}/b1s/v2`;
  const login = await fetch(`${root}/Login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      CompanyDB: defaultCredentials.companyDB,
      UserName: defaultCredentials.userName,
      Password: defaultCredentials.password,
    }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${root}/${path}`, { headers: { Cookie: cookie, Prefer: "odata.maxpagesize=0" } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Stops the simulator listening, as an ERP going down (a night-time restart): open connections are cut and new ones
 * refused; its data stays. The function returned brings it back on the same port.
 */
export async function takeDown(sim: SapB1Simulator): Promise<() => Promise<void>> {
  const { port, address } = sim.server.address() as AddressInfo;
  // The simulator serves node:http(s), whose servers can cut their connections.
  (sim.server as HttpServer).closeAllConnections();
  await new Promise<void>((resolve, reject) => sim.server.close((error) => (error ? reject(error) : resolve())));
  return () =>
    new Promise<void>((resolve, reject) => {
      sim.server.once("error", reject);
      sim.server.listen(port, address, () => {
        sim.server.off("error", reject);
        resolve();
      });
    });
}
