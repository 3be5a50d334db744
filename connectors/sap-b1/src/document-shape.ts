import type { JsonSchema } from "@kehu/connector-kit";
import { date, integer, number, recordSchema, shapeRecord, shapeRows, text, time, yesNo } from "./record-shape";
import type { SlJson } from "./service-layer-client";

const headerProperties = {
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
};
const lineProperties = {
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
};

/** Header fields read from Orders and Invoices (all `Document` in SL). */
export const documentFields = Object.keys(headerProperties);
const lineFields = Object.keys(lineProperties);

export function documentSchema(): JsonSchema {
  return recordSchema(["DocEntry"], {
    ...headerProperties,
    DocumentLines: { type: "array", items: { type: "object", properties: lineProperties } },
  });
}

export function documentRecord(row: SlJson, extraFields: string[] = []): SlJson {
  return {
    ...shapeRecord(row, [...documentFields, ...extraFields]),
    DocumentLines: shapeRows(row.DocumentLines, lineFields),
  };
}
