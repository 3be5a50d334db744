import { createHash } from "node:crypto";
import type { WriteRecord } from "@kehu/connector-kit";
import { documentFields, documentRecord, documentSchema } from "../document-shape";
import { type WritePlan, writeIdempotent } from "../idempotent-write";
import { readChanged } from "../incremental-read";
import { lookupBy } from "../key-lookup";
import type { SapStream, StreamContext } from "../stream-definition";

/** The idempotency key as written into the order (NumAtCard holds 100 characters; longer keys are hashed). */
export function orderKeyFor(record: WriteRecord): string {
  const key = record.idempotencyKey;
  return key.length <= 100 ? key : `kehu-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}

function planFor(ctx: StreamContext): WritePlan {
  const field = ctx.client.config.orderKeyField;
  return {
    keyOf: orderKeyFor,
    async lookup(lookupCtx, keys) {
      const rows = await lookupBy(lookupCtx, "Orders", field, ["DocEntry"], keys);
      // NumAtCard is not unique in B1: when several orders carry the key, the first one created is ours.
      const first = [...rows].map(([key, found]) => [
        key,
        String(Math.min(...found.map((row) => Number(row.DocEntry)))),
      ]);
      return new Map(first as [string, string][]);
    },
    create: (record, key) => ({ method: "POST", path: "Orders", body: { ...record.record, [field]: key } }),
    update: (record, externalKey) => {
      const { CardCode: _card, DocumentLines: lines, ...header } = record.record;
      // PATCH adds lines without LineNum, so only lines that name theirs are sent: a retried update adds nothing.
      const keep = Array.isArray(lines)
        ? lines.filter((line) => (line as { LineNum?: unknown }).LineNum !== undefined)
        : [];
      const body = keep.length > 0 ? { ...header, DocumentLines: keep } : header;
      return { method: "PATCH", path: `Orders(${Number(externalKey)})`, body };
    },
    created: (reply) => {
      // Location names the key as `Orders(1045)` or `Orders(DocEntry=1045)`; both are SL key forms.
      const docEntry = reply.json?.DocEntry ?? /\((?:DocEntry=)?(\d+)\)/.exec(reply.headers.location ?? "")?.[1];
      if (docEntry === undefined || docEntry === null) return undefined;
      return { externalKey: String(docEntry), record: reply.json && documentRecord(reply.json) };
    },
  };
}

/**
 * Sales orders (ORDR): push creates CRM orders once — the idempotency key goes into NumAtCard (or the configured
 * `U_` field) and is looked up before every create — and pull brings status (DocumentStatus, lines) back.
 */
export const salesOrdersStream: SapStream = {
  descriptor: {
    name: "sales_orders",
    label: { en: "Sales orders", zh: "销售订单" },
    primaryKey: ["DocEntry"],
    cursorField: ["UpdateDate", "UpdateTime"],
    directions: ["pull", "push"],
    schema: documentSchema(),
  },
  read: (ctx, state) => {
    const field = ctx.client.config.orderKeyField;
    const extra = field === "NumAtCard" ? [] : [field];
    return readChanged(
      ctx,
      {
        set: "Orders",
        key: "DocEntry",
        select: [...documentFields, ...extra, "DocumentLines"],
        toRecord: (row) => documentRecord(row, extra),
      },
      state,
    );
  },
  write: (ctx, records) => writeIdempotent(ctx, planFor(ctx), records),
};
