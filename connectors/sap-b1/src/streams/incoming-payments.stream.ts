import { readByKey } from "../keyset-read";
import { date, integer, number, recordSchema, shapeRecord, shapeRows, text, yesNo } from "../record-shape";
import type { SapStream } from "../stream-definition";

const properties = {
  DocEntry: integer,
  DocNum: integer,
  DocType: text,
  DocDate: date,
  CardCode: text,
  CardName: text,
  DocCurrency: text,
  CashSum: number,
  TransferSum: number,
  TransferDate: date,
  TransferReference: text,
  Remarks: text,
  Cancelled: yesNo,
};
const fields = Object.keys(properties);
const appliedProperties = {
  LineNum: integer,
  DocEntry: { type: "integer" },
  SumApplied: { type: "number" },
  InvoiceType: text,
};
const appliedFields = Object.keys(appliedProperties);

/**
 * Incoming payments (ORCT) with the invoices they pay (PaymentInvoices). SL documents no UpdateDate on payments,
 * so the stream is incremental on DocEntry, which only grows: state `{ "after": <DocEntry> }`.
 */
export const incomingPaymentsStream: SapStream = {
  descriptor: {
    name: "incoming_payments",
    label: { en: "Incoming payments", zh: "收款" },
    primaryKey: ["DocEntry"],
    cursorField: ["DocEntry"],
    directions: ["pull"],
    schema: recordSchema(["DocEntry"], {
      ...properties,
      PaymentInvoices: {
        type: "array",
        items: { type: "object", required: ["DocEntry", "SumApplied"], properties: appliedProperties },
      },
    }),
  },
  read: (ctx, state) =>
    readByKey(
      ctx,
      {
        set: "IncomingPayments",
        key: "DocEntry",
        keyType: "int",
        select: [...fields, "PaymentInvoices"],
        snapshot: false,
        toRecord: (row) => ({
          ...shapeRecord(row, fields),
          PaymentInvoices: shapeRows(row.PaymentInvoices, appliedFields),
        }),
      },
      state,
    ),
};
