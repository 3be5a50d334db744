import { randomBytes } from "node:crypto";
import type { EntityDefinition, SyncMapping } from "@kehu/schema";
import { createEngine, type Engine } from "../../create-engine";
import { createLogger } from "../../logger";
import { defineEntities } from "../../testing/define-entities";
import { openTestDatabase } from "../../testing/test-database";
import { checkConnection, saveConnection } from "../connection-store";
import { saveMapping } from "../mapping-store";
import { SecretBox } from "../secret-box";
import { type SyncServices, syncServicesOf } from "../sync-services";
import { MemorySystem, memoryConnector } from "./memory-connector";

export const bpEntity: EntityDefinition = {
  name: "account",
  titleField: "name",
  ownership: "none",
  fields: [
    { name: "code", type: "text", unique: true, required: true },
    { name: "name", type: "text", required: true, max: 100 },
    { name: "tier", type: "enum", values: ["gold", "silver", "general"] },
    { name: "credit", type: "money" },
    { name: "phone", type: "text" },
  ],
};

export const orderEntity: EntityDefinition = {
  name: "sales_order",
  ownership: "none",
  fields: [
    { name: "number", type: "text", unique: true, required: true },
    { name: "account", type: "reference", target: "account" },
    { name: "weight_kg", type: "decimal", precision: 12, scale: 3 },
    { name: "note", type: "text" },
  ],
};

export const accountMapping: SyncMapping = {
  name: "erp_accounts",
  connection: "erp",
  stream: "partners",
  entity: "account",
  direction: "both",
  key: { external: ["CardCode"], entity: "code" },
  fields: {
    code: "CardCode",
    name: "CardName",
    tier: { valueMap: { field: "GroupCode", map: { "100": "gold", "101": "silver" }, default: "general" } },
    credit: { money: { amount: "CreditLimit", currency: "Currency", defaultCurrency: "CNY" } },
    phone: "Phone1",
  },
  conflict: "manual",
};

export const orderMapping: SyncMapping = {
  name: "erp_orders",
  connection: "erp",
  stream: "orders",
  entity: "sales_order",
  direction: "pull",
  key: { external: ["DocNum"] },
  fields: {
    number: "DocNum",
    account: { lookup: { entity: "account", by: "code", from: "CardCode" } },
    weight_kg: { unit: { from: "WeightTons", factor: 1000 } },
    note: "Comments",
  },
};

/** An engine with two entities, a memory ERP with `partners` and `orders`, a connection `erp` and its mappings. */
export interface SyncTestBed {
  engine: Engine;
  services: SyncServices;
  system: MemorySystem;
  close(): Promise<void>;
}

export async function openSyncTestBed(mappings: SyncMapping[] = [accountMapping, orderMapping]): Promise<SyncTestBed> {
  const engine = await createEngine(await openTestDatabase(), createLogger("silent"));
  await defineEntities(engine.ctx, [bpEntity, orderEntity]);
  const system = new MemorySystem();
  system.addStream({
    name: "partners",
    primaryKey: ["CardCode"],
    schema: { type: "object", properties: partnerProps },
  });
  system.addStream({
    name: "orders",
    primaryKey: ["DocNum"],
    schema: { type: "object", properties: orderProps },
    directions: ["pull"],
  });
  const services = syncServicesOf(engine.ctx, {
    connectors: new Map([["memory", memoryConnector(system)]]),
    secrets: new SecretBox(randomBytes(32)),
    sleep: async () => {},
    random: () => 0.5,
  });
  await saveConnection(services, {
    name: "erp",
    connector: "memory",
    config: { baseUrl: "http://erp.test", password: "s3cret" },
  });
  await checkConnection(services, "erp");
  for (const m of mappings) await saveMapping(services.knex, services.registry, m);
  return { engine, services, system, close: () => engine.close() };
}

const str = { type: ["string", "null"] };
const partnerProps = {
  CardCode: str,
  CardName: str,
  GroupCode: { type: ["integer", "null"] },
  CreditLimit: { type: ["number", "null"] },
  Currency: str,
  Phone1: str,
  updatedAt: str,
};
const orderProps = {
  DocNum: str,
  CardCode: str,
  WeightTons: { type: ["number", "null"] },
  Comments: str,
  updatedAt: str,
};
