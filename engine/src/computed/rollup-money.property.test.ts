import type { EntityDefinition } from "@kehu/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRate, updateRate } from "../currency/exchange-rates";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { openMetadataTestContext } from "../metadata/test-kit";
import { bulkUpsert } from "../records/bulk-upsert";
import { RecordStore } from "../records/record-store";
import { listRecords } from "../storage/list-query";
import { add, cmp, type Dec, dec, mul } from "./exact-decimal";

const rollup = (name: string, fn: string) => ({
  name,
  type: "rollup" as const,
  child: "line",
  via: "invoice",
  function: fn as "sum",
  field: "amount",
  rateDate: "day",
});
const invoice: EntityDefinition = {
  name: "invoice",
  fields: [
    { name: "title", type: "text" },
    rollup("total", "sum"),
    rollup("low", "min"),
    rollup("high", "max"),
    rollup("mean", "avg"),
  ],
};
const line: EntityDefinition = {
  name: "line",
  fields: [
    { name: "invoice", type: "reference", target: "invoice", onDelete: "setNull" },
    { name: "amount", type: "money" },
    { name: "day", type: "date" },
  ],
};

// Rates to CNY (the base, rounding half_even here): the rate in force on a day is the latest valid from it or before.
const rates: Record<string, Array<[string, string]>> = {
  USD: [
    ["2024-01-01", "7.1234"],
    ["2024-06-01", "7.25"],
  ],
  EUR: [["2024-01-01", "7.8915"]],
  JPY: [["2024-01-01", "0.048125"]],
};
const DECIMALS: Record<string, number> = { CNY: 2, USD: 2, EUR: 2, JPY: 0 };
const TODAY = new Date().toISOString().slice(0, 10);

/** Rounds half to even to `k` places, exactly. */
function halfEven(a: Dec, k: number): Dec {
  if (a.s <= k) return a;
  const f = 10n ** BigInt(a.s - k);
  const q = a.v / f;
  const r2 = (a.v % f < 0n ? -(a.v % f) : a.v % f) * 2n;
  const up = r2 > f || (r2 === f && q % 2n !== 0n);
  return { v: up ? q + (a.v < 0n ? -1n : 1n) : q, s: k };
}
function divide(a: Dec, n: number, k: number): Dec {
  // a / n at k + 30 places, enough that no tie is misjudged for these small n.
  const extra = 30;
  const scaled = a.v * 10n ** BigInt(k + extra);
  return halfEven({ v: scaled / BigInt(n), s: a.s + k + extra }, k);
}
function toBase(amount: string, currency: string, day: string | null): Dec {
  if (currency === "CNY") return dec(amount);
  const on = day ?? TODAY;
  const inForce = rates[currency].filter(([from]) => from <= on).pop();
  if (!inForce) throw new Error(`no rate for ${currency} on ${on}`);
  return halfEven(mul(dec(amount), dec(inForce[1])), 2);
}

interface Child {
  id: string;
  parent: number | null;
  amount: string | null;
  currency: string;
  day: string | null;
  deleted: boolean;
}

const money = fc.constantFrom("CNY", "USD", "EUR", "JPY").chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    amount: fc.option(
      fc.integer({ min: -500000, max: 500000 }).map((n) => (n / 10 ** DECIMALS[currency]).toFixed(DECIMALS[currency])),
      { freq: 8 },
    ),
  }),
);
const day = fc.constantFrom("2024-03-01", "2024-06-01", "2024-07-15", null);
const op = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), parent: fc.nat(1), money, day }),
  fc.record({ kind: fc.constant("bulk" as const), parent: fc.nat(1), items: fc.array(money, { maxLength: 3 }), day }),
  fc.record({ kind: fc.constant("update" as const), k: fc.nat(), money, day }),
  fc.record({ kind: fc.constant("reparent" as const), k: fc.nat(), parent: fc.option(fc.nat(1)) }),
  fc.record({ kind: fc.constant("remove" as const), k: fc.nat() }),
  fc.record({ kind: fc.constant("restore" as const), k: fc.nat() }),
  fc.record({
    kind: fc.constant("rate" as const),
    rate: fc.integer({ min: 6000, max: 8000 }).map((n) => `${n / 1000}`),
  }),
);

let ctx: EngineContext & { close(): Promise<void> };
let lateUsdRate: string;
beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await ctx.db.knex("kehu.currencies").where({ code: "CNY" }).update({ rounding: "half_even" });
  for (const [currency, list] of Object.entries(rates))
    for (const [validFrom, rate] of list) {
      const created = await createRate(ctx.db.knex, { currency, validFrom, rate }, "t");
      if (currency === "USD" && validFrom === "2024-06-01") lateUsdRate = created.id;
    }
  await applyEntities(ctx, [invoice, line], { actor: "t" });
});
afterAll(() => ctx.close());

describe("rollups over money (property)", () => {
  it("fold mixed currencies converted to the base at each child's rate date, and follow rate changes", async () => {
    const lines = () => new RecordStore(ctx.db.knex, ctx.registry.require("line"));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const invoices = new RecordStore(ctx.db.knex, ctx.registry.require("invoice"));
        const parents: string[] = [];
        for (let i = 0; i < 2; i++) parents.push((await invoices.create({ title: `i${i}` }, "t")).id as string);
        const children: Child[] = [];
        const body = (m: { amount: string | null; currency: string }, d: string | null) => ({
          amount: m.amount === null ? null : { amount: m.amount, currency: m.currency },
          day: d,
        });
        const pick = (k: number) => (children.length ? children[k % children.length] : undefined);
        for (const o of ops) {
          if (o.kind === "insert") {
            const r = await lines().create({ invoice: parents[o.parent], ...body(o.money, o.day) }, "t");
            children.push({ id: r.id as string, parent: o.parent, ...o.money, day: o.day, deleted: false });
          } else if (o.kind === "bulk") {
            const records = o.items.map((m) => ({ invoice: parents[o.parent], ...body(m, o.day) }));
            const { ids } = await bulkUpsert(ctx.db.knex, ctx.registry.require("line"), records, {}, "t");
            o.items.forEach((m, i) => {
              children.push({ id: ids[i] as string, parent: o.parent, ...m, day: o.day, deleted: false });
            });
          } else if (o.kind === "rate") {
            await updateRate(ctx.db.knex, lateUsdRate, { rate: o.rate }, "t");
            rates.USD[1][1] = o.rate;
          } else {
            const c = pick(o.k);
            if (!c) continue;
            if (o.kind === "update" && !c.deleted) {
              await lines().update(c.id, body(o.money, o.day), undefined);
              Object.assign(c, { ...o.money, day: o.day });
            } else if (o.kind === "reparent" && !c.deleted) {
              await lines().update(c.id, { invoice: o.parent === null ? null : parents[o.parent] }, undefined);
              c.parent = o.parent;
            } else if (o.kind === "remove" && !c.deleted) {
              await lines().remove(c.id, undefined);
              c.deleted = true;
            } else if (o.kind === "restore" && c.deleted) {
              await lines().restore(c.id, undefined);
              c.deleted = false;
            }
          }
        }
        const { rows } = await listRecords(ctx.db.knex, ctx.registry.require("invoice"), {
          filter: { id: { in: parents } },
          sort: "title",
        });
        rows.forEach((got, p) => {
          const values = children
            .filter((c) => c.parent === p && !c.deleted && c.amount !== null)
            .map((c) => toBase(c.amount as string, c.currency, c.day))
            .sort(cmp);
          const sum = values.reduce(add, dec(0));
          const same = (column: string, want: Dec | undefined) => {
            if (want === undefined) return expect([column, got[column]]).toEqual([column, null]);
            expect([column, got[`${column}__currency`]]).toEqual([column, "CNY"]);
            expect([column, cmp(dec(got[column] as string), want)]).toEqual([column, 0]);
          };
          same("total", sum);
          same("low", values[0]);
          same("high", values[values.length - 1]);
          same("mean", values.length ? divide(sum, values.length, 2) : undefined);
        });
      }),
      { numRuns: 20 },
    );
  }, 240_000);
});
