import { asRecord, stringField, userFields } from "./body-values";
import { sapDate, sapTime } from "./sap-dates";
import { sapErrors } from "./sap-error";
import { emptyWarehouseInfo, refreshItemTotals } from "./stock";
import type { SapRecord, SapStore } from "./store";

const cardTypes: Record<string, string> = { C: "cCustomer", S: "cSupplier", L: "cLid" };
const readOnly = new Set([
  "CardCode",
  "ItemCode",
  "CurrentAccountBalance",
  "OpenOrdersBalance",
  "QuantityOnStock",
  "QuantityOrderedByCustomers",
  "QuantityOrderedFromVendors",
  "CreateDate",
  "CreateTime",
  "UpdateDate",
  "UpdateTime",
]);

export function createPartner(store: SapStore, payload: unknown): SapRecord {
  const body = asRecord(payload);
  const code = stringField(body, "CardCode");
  if (!code) throw sapErrors.business("Enter a business partner code [OCRD.CardCode]");
  if (store.get("BusinessPartners", code)) {
    throw sapErrors.business(
      `1320000140 - Business partner code '${code}' already assigned to a business partner; enter a unique business partner code`,
    );
  }
  const type = stringField(body, "CardType") ?? "cCustomer";
  const cardType = cardTypes[type] ?? type;
  return store.insert("BusinessPartners", code, {
    ...newPartner(store.clock(), code, stringField(body, "CardName") ?? "", cardType),
    ...copyScalars(body),
    CardType: cardType,
  });
}

export function newPartner(at: Date, code: string, name: string, cardType: string): SapRecord {
  return {
    CardCode: code,
    CardName: name,
    CardType: cardType,
    GroupCode: cardType === "cSupplier" ? 101 : 100,
    Currency: "CNY",
    CurrentAccountBalance: 0,
    OpenOrdersBalance: 0,
    CreditLimit: 0,
    Phone1: null,
    EmailAddress: null,
    FederalTaxID: null,
    Valid: "tYES",
    Frozen: "tNO",
    CreateDate: sapDate(at),
    CreateTime: sapTime(at),
    UpdateDate: sapDate(at),
    UpdateTime: sapTime(at),
  };
}

export function createItem(store: SapStore, payload: unknown): SapRecord {
  const body = asRecord(payload);
  const code = stringField(body, "ItemCode");
  if (!code) throw sapErrors.business("Enter an item number [OITM.ItemCode]");
  if (store.get("Items", code)) throw sapErrors.business(`Item code '${code}' already exists`);
  const warehouses = store.list("Warehouses").map((wh) => wh.WarehouseCode as string);
  const item = {
    ...newItem(store.clock(), code, stringField(body, "ItemName") ?? "", warehouses),
    ...copyScalars(body),
  };
  if (Array.isArray(body.ItemPrices)) item.ItemPrices = body.ItemPrices;
  return store.insert("Items", code, item);
}

export function newItem(at: Date, code: string, name: string, warehouses: string[]): SapRecord {
  const item: SapRecord = {
    ItemCode: code,
    ItemName: name,
    ForeignName: null,
    ItemsGroupCode: 100,
    InventoryItem: "tYES",
    SalesItem: "tYES",
    PurchaseItem: "tYES",
    InventoryUOM: "PCS",
    BarCode: null,
    DefaultWarehouse: warehouses[0] ?? "01",
    ManageBatchNumbers: "tNO",
    ManageSerialNumbers: "tNO",
    Valid: "tYES",
    Frozen: "tNO",
    CreateDate: sapDate(at),
    UpdateDate: sapDate(at),
    UpdateTime: sapTime(at),
    ItemPrices: [{ PriceList: 1, Price: 0, Currency: "CNY", BasePriceList: 1, Factor: 1 }],
    ItemWarehouseInfoCollection: warehouses.map((wh) => emptyWarehouseInfo(code, wh)),
  };
  refreshItemTotals(item);
  return item;
}

/** PATCH: known scalar fields and U_* change; keys, balances and stock totals are silently ignored. */
export function patchMasterData(store: SapStore, set: "BusinessPartners" | "Items", key: string, payload: unknown) {
  const body = asRecord(payload);
  if (!store.get(set, key)) throw sapErrors.notFound();
  store.transaction(() =>
    store.update(set, key, (record) => {
      for (const [field, value] of Object.entries(copyScalars(body))) {
        if (field in record || field.startsWith("U_"))
          record[field] = field === "CardType" ? (cardTypes[String(value)] ?? value) : value;
      }
      store.touch(record);
    }),
  );
}

function copyScalars(body: SapRecord): SapRecord {
  const scalars = Object.entries(body).filter(
    ([field, value]) => !readOnly.has(field) && (value === null || typeof value !== "object"),
  );
  return { ...Object.fromEntries(scalars), ...userFields(body) };
}
