import type { EntityDefinition } from "@kehu/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { openMetadataTestContext } from "../metadata/test-kit";
import { RecordStore } from "../records/record-store";
import { listRecords } from "../storage/list-query";
import { add, cmp, dec } from "./exact-decimal";

const rollup = (name: string, fn: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "rollup" as const,
  child: "line",
  via: "invoice",
  function: fn as "sum",
  ...(fn === "count" ? {} : { field: "amount" }),
  ...extra,
});
const invoice: EntityDefinition = {
  name: "invoice",
  fields: [
    { name: "title", type: "text" },
    rollup("lines", "count"),
    rollup("confirmed", "sum", { filter: { status: { eq: "confirmed" } } }),
    rollup("smallest", "min"),
    rollup("largest", "max"),
    rollup("mean", "avg"),
  ],
};
const line: EntityDefinition = {
  name: "line",
  fields: [
    { name: "invoice", type: "reference", target: "invoice", onDelete: "setNull" },
    { name: "amount", type: "decimal" },
    { name: "status", type: "enum", values: ["confirmed", "pending"] },
  ],
};

interface Child {
  id: string;
  parent: number | null;
  amount: string | null;
  status: string;
  deleted: boolean;
  gone: boolean;
}

const amount = fc.option(
  fc.integer({ min: -5000, max: 5000 }).map((n) => (n / 100).toFixed(2)),
  { freq: 6 },
);
const op = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), parent: fc.nat(2), amount, confirmed: fc.boolean() }),
  fc.record({ kind: fc.constant("bulk" as const), parent: fc.nat(2), amounts: fc.array(amount, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant("update" as const), k: fc.nat(), amount, confirmed: fc.boolean() }),
  fc.record({ kind: fc.constant("reparent" as const), k: fc.nat(), parent: fc.option(fc.nat(2)) }),
  fc.record({ kind: fc.constant("remove" as const), k: fc.nat() }),
  fc.record({ kind: fc.constant("restore" as const), k: fc.nat() }),
  fc.record({ kind: fc.constant("hardDelete" as const), k: fc.nat() }),
);

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await applyEntities(ctx, [invoice, line], { actor: "t" });
});
afterAll(() => ctx.close());

describe("rollups (property)", () => {
  it("match a JS computation after any sequence of child inserts, updates, deletes, restores and re-parenting", async () => {
    const lines = () => new RecordStore(ctx.db.knex, ctx.registry.require("line"));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const invoices = new RecordStore(ctx.db.knex, ctx.registry.require("invoice"));
        const parents: string[] = [];
        for (let i = 0; i < 3; i++) parents.push((await invoices.create({ title: `i${i}` }, "t")).id as string);
        const children: Child[] = [];
        const pick = (k: number) => (children.length ? children[k % children.length] : undefined);
        for (const o of ops) {
          if (o.kind === "insert") {
            const status = o.confirmed ? "confirmed" : "pending";
            const r = await lines().create({ invoice: parents[o.parent], amount: o.amount, status }, "t");
            children.push({
              id: r.id as string,
              parent: o.parent,
              amount: o.amount,
              status,
              deleted: false,
              gone: false,
            });
          } else if (o.kind === "bulk") {
            if (!o.amounts.length) continue;
            const rows = o.amounts.map((a) => ({ invoice: parents[o.parent], amount: a, status: "confirmed" }));
            const ids: Array<{ id: string }> = await ctx.db.knex("data.line").insert(rows).returning("id");
            ids.forEach(({ id }, i) => {
              children.push({
                id,
                parent: o.parent,
                amount: o.amounts[i],
                status: "confirmed",
                deleted: false,
                gone: false,
              });
            });
          } else {
            const c = pick(o.k);
            if (!c || c.gone) continue;
            if (o.kind === "update" && !c.deleted) {
              const status = o.confirmed ? "confirmed" : "pending";
              await lines().update(c.id, { amount: o.amount, status }, undefined);
              Object.assign(c, { amount: o.amount, status });
            } else if (o.kind === "reparent" && !c.deleted) {
              await lines().update(c.id, { invoice: o.parent === null ? null : parents[o.parent] }, undefined);
              c.parent = o.parent;
            } else if (o.kind === "remove" && !c.deleted) {
              await lines().remove(c.id, undefined);
              c.deleted = true;
            } else if (o.kind === "restore" && c.deleted) {
              await lines().restore(c.id, undefined);
              c.deleted = false;
            } else if (o.kind === "hardDelete") {
              await ctx.db.knex("data.line").where({ id: c.id }).delete();
              c.gone = true;
            }
          }
        }
        const { rows } = await listRecords(ctx.db.knex, ctx.registry.require("invoice"), {
          filter: { id: { in: parents } },
          sort: "title",
        });
        rows.forEach((got, p) => {
          const live = children.filter((c) => c.parent === p && !c.deleted && !c.gone);
          const amounts = live
            .flatMap((c) => (c.amount === null ? [] : [c.amount]))
            .sort((a, b) => cmp(dec(a), dec(b)));
          const confirmed = live
            .filter((c) => c.status === "confirmed" && c.amount !== null)
            .reduce((s, c) => add(s, dec(c.amount as string)), dec(0));
          const same = (v: unknown, want: string | undefined) =>
            expect(v === null ? null : cmp(dec(v as string), dec(want as string)) === 0).toBe(
              want === undefined ? null : true,
            );
          expect(got.lines).toBe(live.length);
          same(got.confirmed, `${Number(confirmed.v) / 10 ** confirmed.s}`);
          same(got.smallest, amounts[0]);
          same(got.largest, amounts[amounts.length - 1]);
          const mean = amounts.length ? amounts.reduce((s, a) => s + Number(a), 0) / amounts.length : null;
          if (mean === null) expect(got.mean).toBeNull();
          else expect(Number(got.mean)).toBeCloseTo(mean, 9);
        });
        const sorted = await listRecords(ctx.db.knex, ctx.registry.require("invoice"), {
          filter: { and: [{ id: { in: parents } }, { lines: { gte: 1 } }] },
          sort: "-confirmed",
        });
        const confirmedOf = (r: Record<string, unknown>) => Number(r.confirmed);
        const values = sorted.rows.map(confirmedOf);
        expect(values).toEqual([...values].sort((a, b) => b - a));
        expect(sorted.rows.length).toBe(rows.filter((r) => (r.lines as number) >= 1).length);
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
