import { readByKey } from "../keyset-read";
import { number, recordSchema, shapeRecord, text } from "../record-shape";
import type { SapStream } from "../stream-definition";

const properties = {
  CardCode: text,
  CardName: text,
  Currency: text,
  CurrentAccountBalance: number,
  OpenOrdersBalance: number,
  CreditLimit: number,
};
const fields = Object.keys(properties);

/** Account and open-order balances per business partner; a snapshot, since postings move balances without UpdateDate. */
export const bpBalancesStream: SapStream = {
  descriptor: {
    name: "bp_balances",
    label: { en: "Customer balances", zh: "客户余额" },
    primaryKey: ["CardCode"],
    directions: ["pull"],
    schema: recordSchema(["CardCode"], properties),
  },
  read: (ctx, state) =>
    readByKey(
      ctx,
      {
        set: "BusinessPartners",
        key: "CardCode",
        keyType: "string",
        select: fields,
        snapshot: true,
        toRecord: (row) => shapeRecord(row, fields),
      },
      state,
    ),
};
