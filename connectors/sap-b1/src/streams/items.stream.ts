import { readChanged } from "../incremental-read";
import { date, integer, number, recordSchema, shapeRecord, shapeRows, text, time, yesNo } from "../record-shape";
import type { SapStream } from "../stream-definition";

const properties = {
  ItemCode: text,
  ItemName: text,
  ForeignName: text,
  ItemsGroupCode: integer,
  InventoryItem: yesNo,
  SalesItem: yesNo,
  PurchaseItem: yesNo,
  InventoryUOM: text,
  BarCode: text,
  Valid: yesNo,
  Frozen: yesNo,
  QuantityOnStock: number,
  QuantityOrderedByCustomers: number,
  QuantityOrderedFromVendors: number,
  UpdateDate: date,
  UpdateTime: time,
};
const fields = Object.keys(properties);
const priceProperties = { PriceList: integer, Price: number, Currency: text };
const priceFields = Object.keys(priceProperties);

/** Items (OITM), incremental on UpdateDate/UpdateTime, with their price lists. */
export const itemsStream: SapStream = {
  descriptor: {
    name: "items",
    label: { en: "Items", zh: "物料" },
    primaryKey: ["ItemCode"],
    cursorField: ["UpdateDate", "UpdateTime"],
    directions: ["pull"],
    schema: recordSchema(["ItemCode"], {
      ...properties,
      ItemPrices: { type: "array", items: { type: "object", properties: priceProperties } },
    }),
  },
  read: (ctx, state) =>
    readChanged(
      ctx,
      {
        set: "Items",
        key: "ItemCode",
        select: [...fields, "ItemPrices"],
        toRecord: (row) => ({ ...shapeRecord(row, fields), ItemPrices: shapeRows(row.ItemPrices, priceFields) }),
      },
      state,
    ),
};
