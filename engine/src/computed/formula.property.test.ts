import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { createTableSql } from "../storage/entity-ddl";
import { listRecords } from "../storage/list-query";
import { openTestDatabase } from "../testing/test-database";
import { abs, add, cmp, type Dec, dec, mul, round, sub, toNumber } from "./exact-decimal";
import { formulaIssues } from "./formula-check";

/** A generated expression: its source text and how to evaluate it on a JS record (the reference). */
interface Gen<T> {
  src: string;
  eval: (r: Row) => T | null;
}
interface Row {
  a: number | null;
  b: string | null;
  s: string | null;
  flag: boolean | null;
  p: number | null;
}

const parent: EntityDefinition = { name: "holder", fields: [{ name: "p", type: "integer" }] };
const base: FieldDefinition[] = [
  { name: "a", type: "integer" },
  { name: "b", type: "decimal" },
  { name: "s", type: "text" },
  { name: "flag", type: "boolean" },
  { name: "holder", type: "reference", target: "holder" },
];
const lift =
  (f: (...xs: Dec[]) => Dec) =>
  (...xs: Array<Dec | null>) =>
    xs.some((x) => x === null) ? null : f(...(xs as Dec[]));

const leafNum: fc.Arbitrary<Gen<Dec>> = fc.oneof(
  fc.constant({ src: "a", eval: (r: Row) => (r.a === null ? null : dec(r.a)) }),
  fc.constant({ src: "b", eval: (r: Row) => (r.b === null ? null : dec(r.b)) }),
  fc.constant({ src: "holder.p", eval: (r: Row) => (r.p === null ? null : dec(r.p)) }),
  fc.integer({ min: 0, max: 50 }).map((n) => ({ src: String(n), eval: () => dec(n) })),
  fc
    .integer({ min: 0, max: 999 })
    .map((n) => ({ src: `${n / 100}`.includes(".") ? `${n / 100}` : `${n / 100}.0`, eval: () => dec(n / 100) })),
);

const { num, bool } = fc.letrec<{ num: Gen<Dec>; bool: Gen<boolean> }>((tie) => ({
  num: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafNum,
    fc.tuple(tie("num"), fc.constantFrom("+", "-", "*"), tie("num")).map(([l, op, r]) => ({
      src: `(${l.src} ${op} ${r.src})`,
      eval: (row: Row) => lift(op === "+" ? add : op === "-" ? sub : mul)(l.eval(row), r.eval(row)),
    })),
    fc.tuple(tie("bool"), tie("num"), tie("num")).map(([c, x, y]) => ({
      src: `if(${c.src}, ${x.src}, ${y.src})`,
      eval: (row: Row) => (c.eval(row) === true ? x.eval(row) : y.eval(row)),
    })),
    tie("num").map((x) => ({ src: `abs(-${x.src})`, eval: (row: Row) => lift(abs)(x.eval(row)) })),
    fc.tuple(tie("num"), fc.integer({ min: 0, max: 2 })).map(([x, k]) => ({
      src: `round(${x.src}, ${k})`,
      eval: (row: Row) => lift((v) => round(v, k))(x.eval(row)),
    })),
    fc.tuple(tie("num"), tie("num")).map(([x, y]) => ({
      src: `coalesce(${x.src}, ${y.src})`,
      eval: (row: Row) => x.eval(row) ?? y.eval(row),
    })),
  ) as fc.Arbitrary<Gen<Dec>>,
  bool: fc.oneof(
    { depthSize: "small" },
    fc.constant({ src: "flag", eval: (r: Row) => r.flag }),
    fc.tuple(tie("num"), fc.constantFrom("=", "!=", "<", "<=", ">", ">="), tie("num")).map(([l, op, r]) => ({
      src: `(${l.src} ${op} ${r.src})`,
      eval: (row: Row) => {
        const [x, y] = [l.eval(row), r.eval(row)];
        if (x === null || y === null) return null;
        const c = cmp(x, y);
        return { "=": c === 0, "!=": c !== 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[op] as boolean;
      },
    })),
    fc.tuple(tie("bool"), fc.constantFrom("and", "or"), tie("bool")).map(([l, op, r]) => ({
      src: `(${l.src} ${op} ${r.src})`,
      eval: (row: Row) => sqlLogic(op, l.eval(row), r.eval(row)),
    })),
    tie("bool").map((x) => ({ src: `not ${x.src}`, eval: (row: Row) => (x.eval(row) === null ? null : !x.eval(row)) })),
  ) as fc.Arbitrary<Gen<boolean>>,
}));

/** SQL's three-valued and/or. */
function sqlLogic(op: string, x: boolean | null, y: boolean | null): boolean | null {
  if (op === "and") return x === false || y === false ? false : x === null || y === null ? null : true;
  return x === true || y === true ? true : x === null || y === null ? null : false;
}

const word = fc.string({ unit: fc.constantFrom(..."abcXYZ '?;-"), maxLength: 6 });
const text: fc.Arbitrary<Gen<string>> = fc.oneof(
  fc.constant({ src: "upper(s)", eval: (r: Row) => r.s?.toUpperCase() ?? null }),
  fc.tuple(word, fc.integer({ min: 0, max: 4 })).map(([w, n]) => ({
    src: `concat(left(s, ${n}), '${w.replaceAll("'", "''")}', lower(right(s, ${n})), a)`,
    eval: (r: Row) =>
      `${r.s?.slice(0, n) ?? ""}${w}${r.s === null ? "" : n ? r.s.slice(-n).toLowerCase() : ""}${r.a ?? ""}`,
  })),
);

const row: fc.Arbitrary<Row> = fc.record({
  a: fc.option(fc.integer({ min: -100, max: 100 })),
  b: fc.option(fc.integer({ min: -9999, max: 9999 }).map((n) => (n / 100).toFixed(2))),
  s: fc.option(fc.string({ unit: fc.constantFrom(..."abcDEF xyz"), maxLength: 8 })),
  flag: fc.option(fc.boolean()),
  p: fc.option(fc.integer({ min: -20, max: 20 })),
});

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  const item: EntityDefinition = { name: "item", fields: base };
  for (const sql of [...createTableSql(parent), ...createTableSql(item)]) await db.knex.raw(sql);
});
afterAll(() => db?.close());

describe("formulas (property)", () => {
  it("evaluate in SQL exactly like the reference evaluation, and filter and sort by the same values", async () => {
    await fc.assert(
      fc.asyncProperty(num, bool, text, fc.array(row, { minLength: 1, maxLength: 6 }), async (n, b, t, rows) => {
        const item: EntityDefinition = {
          name: "item",
          fields: [
            ...base,
            { name: "n", type: "formula", expression: n.src, resultType: "decimal" },
            { name: "q", type: "formula", expression: `${n.src} / (a - 3)`, resultType: "decimal" },
            { name: "c", type: "formula", expression: b.src, resultType: "boolean" },
            { name: "t", type: "formula", expression: t.src, resultType: "text" },
          ],
        };
        for (const f of item.fields)
          expect(
            formulaIssues(f, item, () => parent),
            f.expression,
          ).toEqual([]);
        await db.knex("data.item").delete();
        await db.knex("data.holder").delete();
        for (const [i, r] of rows.entries()) {
          const [h] = await db.knex("data.holder").insert({ p: r.p }).returning("id");
          await db
            .knex("data.item")
            .insert({ a: r.a, b: r.b, s: r.s, flag: r.flag, holder: h.id, created_by: String(i) });
        }
        const { rows: got } = await listRecords(db.knex, item, { sort: "created_by" });
        got.forEach((g, i) => {
          const want = n.eval(rows[i]);
          expect(g.n === null ? null : cmp(dec(g.n as string), want as Dec) === 0, n.src).toBe(
            want === null ? null : true,
          );
          const divisor = rows[i].a === null ? null : rows[i].a - 3;
          const q = want === null || divisor === null || divisor === 0 ? null : toNumber(want) / divisor;
          if (q === null) expect(g.q).toBeNull();
          else expect(Number(g.q)).toBeCloseTo(q, 9);
          expect(g.c, b.src).toBe(b.eval(rows[i]));
          expect(g.t, t.src).toBe(t.eval(rows[i]));
        });
        const matching = await listRecords(db.knex, item, { filter: { c: { eq: true } }, sort: "created_by" });
        expect(matching.rows.map((r) => r.created_by)).toEqual(
          rows.flatMap((r, i) => (b.eval(r) === true ? [String(i)] : [])),
        );
        const sorted = await listRecords(db.knex, item, { sort: "n,created_by" });
        const wanted = rows
          .map((r, i) => ({ v: n.eval(r), i }))
          .sort((x, y) =>
            x.v === null ? (y.v === null ? x.i - y.i : 1) : y.v === null ? -1 : cmp(x.v, y.v) || x.i - y.i,
          );
        expect(sorted.rows.map((r) => Number(r.created_by))).toEqual(wanted.map((w) => w.i));
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
