import type { JsonSchema } from "@kehu/connector-kit";
import { date, integer, number, recordSchema, shapeRecord, shapeRows, text, time, yesNo } from "./record-shape";
import type { SlJson } from "./service-layer-client";

/** Header fields read from Orders and Invoices (all `Document` in SL). */
export const documentFields = [
  "DocEntry",
  "DocNum",
  "DocDate",
  "DocDueDate",
  "CardCode",
  "CardName",
  "NumAtCard",
  "Comments",
  "DocCurrency",
  "DocTotal",
  "VatSum",
  "PaidToDate",
  "DocumentStatus",
  "Cancelled",
  "UpdateDate",
  "UpdateTime",
];
const lineFields = [
  "LineNum",
  "ItemCode",
  "ItemDescription",
  "Quantity",
  "UnitPrice",
  "Price",
  "DiscountPercent",
  "WarehouseCode",
  "LineTotal",
  "LineStatus",
  "RemainingOpenQuantity",
  "BaseType",
  "BaseEntry",
  "BaseLine",
];

export function documentSchema(extra: Record<string, JsonSchema> = {}): JsonSchema {
  const line: JsonSchema = {
    type: "object",
    properties: {
      LineNum: integer,
      ItemCode: text,
      ItemDescription: text,
      Quantity: number,
      UnitPrice: number,
      Price: number,
      DiscountPercent: number,
      WarehouseCode: text,
      LineTotal: number,
      LineStatus: text,
      RemainingOpenQuantity: number,
      BaseType: integer,
      BaseEntry: integer,
      BaseLine: integer,
    },
  };
  return recordSchema(["DocEntry"], {
    DocEntry: integer,
    DocNum: integer,
    DocDate: date,
    DocDueDate: date,
    CardCode: text,
    CardName: text,
    NumAtCard: text,
    Comments: text,
    DocCurrency: text,
    DocTotal: number,
    VatSum: number,
    PaidToDate: number,
    DocumentStatus: text,
    Cancelled: yesNo,
    UpdateDate: date,
    UpdateTime: time,
    DocumentLines: { type: "array", items: line },
    ...extra,
  });
}

export function documentRecord(row: SlJson, extraFields: string[] = []): SlJson {
  return {
    ...shapeRecord(row, [...documentFields, ...extraFields]),
    DocumentLines: shapeRows(row.DocumentLines, lineFields),
  };
}
