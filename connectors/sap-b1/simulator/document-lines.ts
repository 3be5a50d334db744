import { money, numberField, stringField, userFields } from "./body-values";
import { sapErrors } from "./sap-error";
import type { SapRecord, SapStore } from "./store";

export const VAT_RATE = 0.13;
export const ORDER_OBJECT_TYPE = 17;

export type LineContext = { store: SapStore; cardCode: string; currency: string; docEntry: number; tableAlias: string };

/** Builds one document line as SL returns it; copy-from lines (BaseType 17) take item, price and warehouse from the order. */
export function buildLine(ctx: LineContext, input: SapRecord, lineNum: number): SapRecord {
  const position = lineNum + 1;
  const base = baseOrderLine(ctx, input, position);
  const itemCode = stringField(input, "ItemCode") ?? (base?.ItemCode as string | undefined);
  if (!itemCode) {
    throw sapErrors.business(
      `Item number is missing; specify an item number [DocumentLines.ItemCode][line: ${position}]`,
    );
  }
  const item = ctx.store.get("Items", itemCode);
  if (!item) throw sapErrors.missingReference();
  const quantity = numberField(input, "Quantity", base ? Number(base.RemainingOpenQuantity) : undefined);
  if (quantity === undefined || quantity <= 0) {
    throw sapErrors.rule(`Quantity must be greater than zero [DocumentLines.Quantity][line: ${position}]`);
  }
  const warehouseCode =
    stringField(input, "WarehouseCode") ?? (base?.WarehouseCode as string) ?? (item.DefaultWarehouse as string);
  if (!ctx.store.get("Warehouses", warehouseCode)) throw sapErrors.missingReference();
  const unitPrice = numberField(input, "UnitPrice") ?? numberField(input, "Price") ?? basePrice(base, item);
  const discount = numberField(input, "DiscountPercent", 0) ?? 0;
  return pricedLine({
    LineNum: lineNum,
    ItemCode: itemCode,
    ItemDescription: item.ItemName,
    Quantity: quantity,
    UnitPrice: unitPrice,
    Currency: ctx.currency,
    DiscountPercent: discount,
    WarehouseCode: warehouseCode,
    TaxCode: stringField(input, "TaxCode") ?? "J1",
    LineStatus: "bost_Open",
    RemainingOpenQuantity: quantity,
    BaseType: base ? ORDER_OBJECT_TYPE : -1,
    BaseEntry: base ? Number(input.BaseEntry) : null,
    BaseLine: base ? Number(input.BaseLine) : null,
    DocEntry: ctx.docEntry,
    ...userFields(input),
  });
}

/** Derived amounts: Price is after the line discount, LineTotal excludes VAT. */
export function pricedLine(line: SapRecord): SapRecord {
  const unitPrice = Number(line.UnitPrice);
  const price = money(unitPrice * (1 - Number(line.DiscountPercent) / 100));
  const lineTotal = money(price * Number(line.Quantity));
  return {
    ...line,
    Price: price,
    PriceAfterVAT: money(price * (1 + VAT_RATE)),
    LineTotal: lineTotal,
    TaxTotal: money(lineTotal * VAT_RATE),
  };
}

function basePrice(base: SapRecord | undefined, item: SapRecord): number {
  if (base) return Number(base.UnitPrice);
  const prices = item.ItemPrices as SapRecord[];
  return Number(prices[0]?.Price ?? 0);
}

function baseOrderLine(ctx: LineContext, input: SapRecord, position: number): SapRecord | undefined {
  if (input.BaseType === undefined || Number(input.BaseType) === -1) return undefined;
  if (Number(input.BaseType) !== ORDER_OBJECT_TYPE) throw sapErrors.rule("Invalid base document type");
  const order = ctx.store.get("Orders", Number(input.BaseEntry));
  const line = (order?.DocumentLines as SapRecord[] | undefined)?.find((l) => l.LineNum === Number(input.BaseLine));
  if (!order || !line) throw sapErrors.missingReference();
  if (order.CardCode !== ctx.cardCode)
    throw sapErrors.business("Base document card and target document card do not match.");
  if (order.DocumentStatus !== "bost_Open" || line.LineStatus !== "bost_Open") {
    throw sapErrors.business(
      `One of the base documents has already been closed  [${ctx.tableAlias}.BaseEntry][line: ${position}]`,
    );
  }
  return line;
}
