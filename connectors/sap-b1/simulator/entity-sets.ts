export const entitySetNames = [
  "BusinessPartners",
  "Items",
  "Warehouses",
  "Orders",
  "Invoices",
  "IncomingPayments",
] as const;

export type EntitySetName = (typeof entitySetNames)[number];

export type EntitySetInfo = { key: string; keyType: "string" | "int"; typeName: string; fields: Set<string> };

const partnerFields =
  "CardCode CardName CardType GroupCode Currency CurrentAccountBalance OpenOrdersBalance CreditLimit Phone1 EmailAddress " +
  "FederalTaxID Valid Frozen CreateDate CreateTime UpdateDate UpdateTime";
const itemFields =
  "ItemCode ItemName ForeignName ItemsGroupCode InventoryItem SalesItem PurchaseItem InventoryUOM BarCode DefaultWarehouse " +
  "ManageBatchNumbers ManageSerialNumbers Valid Frozen CreateDate UpdateDate UpdateTime ItemPrices " +
  "ItemWarehouseInfoCollection QuantityOnStock QuantityOrderedByCustomers QuantityOrderedFromVendors";
const warehouseFields =
  "WarehouseCode WarehouseName Inactive Street City ZipCode Country EnableBinLocations BusinessPlaceID";
const documentFields =
  "DocEntry DocNum DocType DocDate DocDueDate TaxDate DocTime CardCode CardName NumAtCard Comments DocCurrency DocRate " +
  "DocObjectCode DocumentStatus Cancelled CancelStatus PaidToDate CreationDate UpdateDate UpdateTime DocumentLines DocTotal VatSum";
const paymentFields =
  "DocEntry DocNum DocType DocDate CardCode CardName DocCurrency DocRate CashSum CashAccount TransferSum TransferAccount " +
  "TransferDate TransferReference Remarks Cancelled UpdateDate UpdateTime PaymentInvoices";

const set = (fields: string) => new Set(fields.split(" "));

export const entitySets: Record<EntitySetName, EntitySetInfo> = {
  BusinessPartners: { key: "CardCode", keyType: "string", typeName: "BusinessPartner", fields: set(partnerFields) },
  Items: { key: "ItemCode", keyType: "string", typeName: "Item", fields: set(itemFields) },
  Warehouses: { key: "WarehouseCode", keyType: "string", typeName: "Warehouse", fields: set(warehouseFields) },
  Orders: { key: "DocEntry", keyType: "int", typeName: "Document", fields: set(documentFields) },
  Invoices: { key: "DocEntry", keyType: "int", typeName: "Document", fields: set(documentFields) },
  IncomingPayments: { key: "DocEntry", keyType: "int", typeName: "Payment", fields: set(paymentFields) },
};

export function isEntitySetName(name: string): name is EntitySetName {
  return (entitySetNames as readonly string[]).includes(name);
}
