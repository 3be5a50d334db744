import type { EntityDefinition } from "@kehu/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import type { Database } from "./database";
import { createTableSql } from "./entity-ddl";
import { entityTableRef } from "./identifiers";
import { countRecords, listRecords } from "./list-query";

// A small entity with one field per comparison family; listRecords is checked against a JS model of the filter.
const item = {
  name: "item",
  label: { en: "Item" },
  fields: [
    { name: "s", type: "text" },
    { name: "e", type: "enum", values: ["x", "y", "z"] },
    { name: "m", type: "multienum", values: ["x", "y", "z"] },
    { name: "n", type: "integer" },
    { name: "d", type: "decimal" },
    { name: "b", type: "boolean" },
    { name: "dt", type: "date" },
    { name: "at", type: "datetime" },
    { name: "r", type: "reference", target: "other" },
    { name: "j", type: "json" },
  ],
} as EntityDefinition;

type Row = Record<string, unknown>;
type Kind = "text" | "enum" | "multienum" | "number" | "boolean" | "date" | "datetime" | "uuid" | "json";
const U1 = "11111111-1111-4111-8111-111111111111";
const U2 = "ffffffff-2222-4222-8222-222222222222";

const DOMAIN: Record<string, { kind: Kind; values: readonly unknown[] }> = {
  s: { kind: "text", values: ["", "a", "A", "ab", "Ab", "a%", "b_c", "bxc", "张", "张伟", "李张"] },
  e: { kind: "enum", values: ["x", "y", "z"] },
  m: { kind: "multienum", values: ["x", "y", "z"] },
  n: { kind: "number", values: [-2, 0, 1, 3] },
  d: { kind: "number", values: ["-1.5", "0", "1.5", "1.50", "10"] },
  b: { kind: "boolean", values: [true, false] },
  dt: { kind: "date", values: ["2023-12-31", "2024-01-01", "2024-02-29"] },
  at: { kind: "datetime", values: ["2024-01-01T00:00:00Z", "2024-01-01T08:00:00+08:00", "2024-06-01T12:30:00Z"] },
  r: { kind: "uuid", values: [U1, U2] },
  j: { kind: "json", values: [] },
};
const FIELDS = Object.keys(DOMAIN);
const OPS: Record<Kind, string[]> = {
  text: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "between", "contains", "startsWith", "isNull"],
  enum: ["eq", "ne", "in", "nin", "isNull"],
  multienum: ["eq", "ne", "contains", "in", "nin", "isNull"],
  number: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "between", "isNull"],
  date: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "between", "isNull"],
  datetime: ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "between", "isNull"],
  boolean: ["eq", "ne", "isNull"],
  uuid: ["eq", "ne", "in", "nin", "isNull"],
  json: ["isNull"],
};

// ---- generators ----
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const pick = (values: readonly unknown[]) => fc.constantFrom(...values);
const subset = fc.subarray(["x", "y", "z"]);

const rowArb: fc.Arbitrary<Row> = fc.record({
  s: nullable(pick(DOMAIN.s.values)),
  e: nullable(pick(DOMAIN.e.values)),
  m: nullable(subset).map((v) => (v === null ? null : `{${v.join(",")}}`)),
  n: nullable(pick(DOMAIN.n.values)),
  d: nullable(pick(DOMAIN.d.values)),
  b: nullable(fc.boolean()),
  dt: nullable(pick(DOMAIN.dt.values)),
  at: nullable(pick(DOMAIN.at.values)),
  r: nullable(pick([U1, U2])),
  j: fc.constantFrom(null, "null", '{"a":1}'),
  deleted_at: fc.constantFrom(null, null, null, "2024-01-01T00:00:00Z"),
});

function valueArb(field: string, op: string): fc.Arbitrary<unknown> {
  const { kind, values } = DOMAIN[field];
  if (op === "isNull") return fc.boolean();
  if (kind === "multienum") return op === "contains" ? fc.oneof(pick(values), subset) : subset;
  const one = kind === "boolean" ? fc.boolean() : pick(values);
  if (op === "in" || op === "nin") return fc.array(one, { maxLength: 3 });
  if (op === "between") return fc.tuple(one, one);
  return one;
}

const leafArb: fc.Arbitrary<Row> = fc.constantFrom(...FIELDS).chain((field) =>
  fc
    .uniqueArray(fc.constantFrom(...OPS[DOMAIN[field].kind]), { minLength: 1, maxLength: 2 })
    .chain((ops) => fc.tuple(...ops.map((op) => valueArb(field, op).map((v) => [op, v] as const))))
    .map((pairs) => ({ [field]: Object.fromEntries(pairs) })),
);

const { filter: filterArb } = fc.letrec<{ filter: Row }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    fc.array(tie("filter"), { maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie("filter"), { maxLength: 3 }).map((or) => ({ or })),
    tie("filter").map((not) => ({ not })),
    fc.tuple(leafArb, leafArb).map(([a, b]) => ({ ...a, ...b })),
  ),
}));

// ---- the JS model of a filter ----
function compare(kind: Kind, a: unknown, b: unknown): number {
  if (kind === "number") return Number(a) - Number(b);
  if (kind === "datetime") return Date.parse(a as string) - Date.parse(b as string);
  if (kind === "boolean") return Number(a) - Number(b);
  return a === b ? 0 : (a as string) < (b as string) ? -1 : 1; // C collation: code point order
}

function matches(row: Row, filter: Row): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === "and") return (value as Row[]).every((f) => matches(row, f));
    if (key === "or") return (value as Row[]).some((f) => matches(row, f));
    if (key === "not") return !matches(row, value as Row);
    return Object.entries(value as Row).every(([op, x]) => test(DOMAIN[key].kind, row[key], op, x));
  });
}

function test(kind: Kind, v: unknown, op: string, x: unknown): boolean {
  if (kind === "multienum") return testSet((v as string[] | null) ?? [], op, x);
  const isNull = v === null; // JSON null reads back as null too
  const eq = (y: unknown) => !isNull && compare(kind, v, y) === 0;
  const lower = (t: unknown) => String(t).toLowerCase();
  switch (op) {
    case "isNull":
      return isNull === x;
    case "eq":
      return eq(x);
    case "ne":
      return !eq(x);
    case "lt":
      return !isNull && compare(kind, v, x) < 0;
    case "lte":
      return !isNull && compare(kind, v, x) <= 0;
    case "gt":
      return !isNull && compare(kind, v, x) > 0;
    case "gte":
      return !isNull && compare(kind, v, x) >= 0;
    case "in":
      return (x as unknown[]).some(eq);
    case "nin":
      return !(x as unknown[]).some(eq);
    case "between": {
      const [lo, hi] = x as unknown[];
      return !isNull && compare(kind, v, lo) >= 0 && compare(kind, v, hi) <= 0;
    }
    case "contains":
      return !isNull && lower(v).includes(lower(x));
    case "startsWith":
      return !isNull && lower(v).startsWith(lower(x));
  }
  throw new Error(`no model for ${op}`);
}

function testSet(v: string[], op: string, x: unknown): boolean {
  const xs = Array.isArray(x) ? (x as string[]) : [x as string];
  const same = xs.every((y) => v.includes(y)) && v.every((y) => xs.includes(y));
  const overlap = xs.some((y) => v.includes(y));
  if (op === "isNull") return (v.length === 0) === x;
  if (op === "eq") return same;
  if (op === "ne") return !same;
  if (op === "contains") return xs.every((y) => v.includes(y));
  if (op === "in") return overlap;
  if (op === "nin") return !overlap;
  throw new Error(`no model for ${op}`);
}

/** The model's order: NULL is the largest value; ties broken by id in the last key's direction. */
function sortRows(rows: Row[], field: string, desc: boolean): Row[] {
  const kind = DOMAIN[field].kind;
  const dir = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const [x, y] = [a[field], b[field]];
    const c = x === null ? (y === null ? 0 : 1) : y === null ? -1 : compare(kind, x, y);
    return c !== 0 ? c * dir : compare("uuid", a.id, b.id) * dir;
  });
}

// ---- the property ----
let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  for (const s of createTableSql(item)) await db.knex.raw(s);
});
afterAll(() => db?.close());

const table = () => db.knex(entityTableRef("item"));
const SORTABLE = ["s", "e", "n", "d", "b", "dt", "at", "r"];

describe("listRecords against a JS model", () => {
  it("filters, searches, sorts and pages exactly like the model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 25 }),
        fc.array(
          fc.record({
            filter: filterArb,
            search: fc.option(fc.constantFrom("a", "A", "张", "%", "_", "b_c", "张伟"), { nil: undefined }),
            sort: fc.constantFrom(...SORTABLE),
            desc: fc.boolean(),
            limit: fc.integer({ min: 1, max: 7 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (rows, queries) => {
          await table().delete();
          const stored = (rows.length ? await table().insert(rows).returning("*") : []) as Row[];
          const live = stored.filter((r) => r.deleted_at === null);
          for (const q of queries) {
            const sort = `${q.desc ? "-" : ""}${q.sort}`;
            const hit = (r: Row) =>
              !q.search ||
              String(r.s ?? "")
                .toLowerCase()
                .includes(q.search.toLowerCase());
            const expected = sortRows(
              live.filter((r) => matches(r, q.filter) && hit(r)),
              q.sort,
              q.desc,
            ).map((r) => r.id);
            const got: unknown[] = [];
            let cursor: string | undefined;
            do {
              const page = await listRecords(db.knex, item, {
                filter: q.filter,
                search: q.search,
                sort,
                limit: q.limit,
                cursor,
              });
              got.push(...page.rows.map((r) => r.id));
              cursor = page.nextCursor ?? undefined;
            } while (cursor && got.length <= stored.length);
            expect(got, JSON.stringify({ ...q, filter: q.filter })).toEqual(expected);
            expect(await countRecords(db.knex, item, { filter: q.filter, search: q.search })).toBe(expected.length);
          }
        },
      ),
      { numRuns: Number(process.env.KEHU_PROPERTY_RUNS ?? 60) },
    );
  });
});
