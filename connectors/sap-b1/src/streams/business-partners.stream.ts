import { createHash } from "node:crypto";
import type { WriteRecord } from "@kehu/connector-kit";
import { type WritePlan, writeIdempotent } from "../idempotent-write";
import { readChanged } from "../incremental-read";
import { lookupBy } from "../key-lookup";
import { date, integer, number, recordSchema, shapeRecord, text, time, yesNo } from "../record-shape";
import { odataString } from "../service-path";
import type { SapStream } from "../stream-definition";

const properties = {
  CardCode: text,
  CardName: text,
  CardType: { enum: ["cCustomer", "cSupplier", "cLid", null] },
  GroupCode: integer,
  Currency: text,
  Phone1: text,
  EmailAddress: text,
  FederalTaxID: text,
  CreditLimit: number,
  Valid: yesNo,
  Frozen: yesNo,
  UpdateDate: date,
  UpdateTime: time,
};
const fields = Object.keys(properties);

/**
 * The CardCode a new customer gets: the record's own CardCode when the mapping sets one, else `K` + 14 hex digits
 * of the idempotency key's SHA-256 (CardCode holds 15 characters). The same CRM record always gets the same code,
 * so "does it exist?" is one lookup by key, with no UDF to install in the company.
 */
export function cardCodeFor(record: WriteRecord): string {
  const own = record.record.CardCode;
  if (typeof own === "string" && own.trim()) return own.trim();
  return `K${createHash("sha256").update(record.idempotencyKey).digest("hex").slice(0, 14).toUpperCase()}`;
}

const plan: WritePlan = {
  keyOf: cardCodeFor,
  async lookup(ctx, keys) {
    const rows = await lookupBy(ctx, "BusinessPartners", "CardCode", [], keys);
    return new Map([...rows.keys()].map((code) => [code, code]));
  },
  create: (record, key) => ({
    method: "POST",
    path: "BusinessPartners",
    body: { CardType: "cCustomer", ...record.record, CardCode: key },
  }),
  update: (record, externalKey) => {
    const { CardCode: _ignored, ...body } = record.record;
    return { method: "PATCH", path: `BusinessPartners(${odataString(externalKey)})`, body };
  },
  created: (reply, key) => ({ externalKey: key, record: reply.json && shapeRecord(reply.json, fields) }),
};

/** Business partners (OCRD): pull incrementally; push creates customers (idempotent by CardCode) or patches them. */
export const businessPartnersStream: SapStream = {
  descriptor: {
    name: "business_partners",
    label: { en: "Business partners", zh: "业务伙伴" },
    primaryKey: ["CardCode"],
    cursorField: ["UpdateDate", "UpdateTime"],
    directions: ["pull", "push"],
    schema: recordSchema(["CardCode"], properties),
  },
  read: (ctx, state) =>
    readChanged(
      ctx,
      { set: "BusinessPartners", key: "CardCode", select: fields, toRecord: (row) => shapeRecord(row, fields) },
      state,
    ),
  write: (ctx, records) => writeIdempotent(ctx, plan, records),
};
