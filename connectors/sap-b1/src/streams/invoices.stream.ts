import { documentFields, documentRecord, documentSchema } from "../document-shape";
import { readChanged } from "../incremental-read";
import type { SapStream } from "../stream-definition";

/** A/R invoices (OINV), incremental on UpdateDate/UpdateTime; PaidToDate and DocumentStatus show payment. */
export const invoicesStream: SapStream = {
  descriptor: {
    name: "invoices",
    label: { en: "A/R invoices", zh: "应收发票" },
    primaryKey: ["DocEntry"],
    cursorField: ["UpdateDate", "UpdateTime"],
    directions: ["pull"],
    schema: documentSchema(),
  },
  read: (ctx, state) =>
    readChanged(
      ctx,
      {
        set: "Invoices",
        key: "DocEntry",
        select: [...documentFields, "DocumentLines"],
        toRecord: (row) => documentRecord(row),
      },
      state,
    ),
};
