import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import type { Database } from "./database";
import { createTableSql } from "./entity-ddl";
import { compileFilter, FILTER_LIMITS, filterIssues } from "./filter-compiler";
import { entityTableRef } from "./identifiers";

const deal: EntityDefinition = {
  name: "deal",
  label: { en: "Deal" },
  fields: [
    { name: "name", type: "text" },
    { name: "notes", type: "longtext" },
    { name: "email", type: "email" },
    { name: "tier", type: "enum", values: ["gold", { value: "potential" }, "general"] },
    { name: "tags", type: "multienum", values: ["a", "b", "c"] },
    { name: "amount", type: "decimal" },
    { name: "qty", type: "integer" },
    { name: "credit", type: "money" },
    { name: "active", type: "boolean" },
    { name: "signed_on", type: "date" },
    { name: "closed_at", type: "datetime" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "meta", type: "json" },
  ],
} as EntityDefinition;

const U1 = "11111111-1111-4111-8111-111111111111";
const U2 = "22222222-2222-4222-8222-222222222222";
const rows = [
  {
    name: "Alice",
    notes: "Likes 100% cotton",
    email: "alice@example.com",
    tier: "gold",
    tags: "{a,b}",
    amount: "10.5",
    qty: 1,
    credit: "1000",
    credit__currency: "CNY",
    active: true,
    signed_on: "2024-01-15",
    closed_at: "2024-01-15T08:00:00Z",
    customer: U1,
    meta: '{"x":1}',
    created_by: "u_1",
  },
  {
    name: "bob_smith",
    notes: "under_score",
    tier: "potential",
    tags: "{b}",
    amount: "-2",
    qty: 5,
    credit: "50",
    credit__currency: "USD",
    active: false,
    signed_on: "2024-03-01",
    closed_at: "2024-03-01T23:30:00+08:00",
    customer: U2,
    meta: "null",
  },
  { name: "Carol", tags: "{}" },
  {
    name: "张伟",
    notes: "大客户",
    tier: "general",
    tags: "{a,b,c}",
    amount: "1000000.25",
    qty: Number.MAX_SAFE_INTEGER,
    credit: "1000.00",
    credit__currency: "CNY",
    active: true,
    signed_on: "2023-12-31",
    closed_at: "2023-12-31T23:59:59.999999Z",
    customer: U1,
    meta: '{"y":[1]}',
  },
  {
    name: "alice cooper",
    notes: "back\\slash",
    tier: "gold",
    amount: "0",
    qty: -3,
    credit: "0",
    credit__currency: "EUR",
    active: false,
    signed_on: "2024-02-29",
  },
];

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  for (const s of createTableSql(deal)) await db.knex.raw(s);
  await db.knex(entityTableRef("deal")).insert(rows);
});
afterAll(() => db?.close());

async function names(filter: unknown): Promise<string[]> {
  const where = compileFilter(deal, filter);
  const found = await db.knex(entityTableRef("deal")).whereRaw(where.sql, where.bindings).pluck("name");
  return (found as string[]).sort();
}

function issuesOf(filter: unknown) {
  try {
    compileFilter(deal, filter);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("bad_filter");
    return (e as AppError).issues;
  }
  throw new Error("expected a bad_filter error");
}

const ALL = ["Alice", "Carol", "alice cooper", "bob_smith", "张伟"];
const without = (...drop: string[]) => ALL.filter((n) => !drop.includes(n));

describe("compileFilter: operators by type", () => {
  const cases: Array<[string, unknown, string[]]> = [
    // text (case-sensitive equality; contains/startsWith case-insensitive, % and _ literal)
    ["text eq", { name: { eq: "Alice" } }, ["Alice"]],
    ["text ne includes NULL-free rows only differing", { name: { ne: "Alice" } }, without("Alice")],
    ["text lt", { name: { lt: "B" } }, ["Alice"]],
    ["text gte", { name: { gte: "a" } }, ["alice cooper", "bob_smith", "张伟"]],
    ["text between", { name: { between: ["A", "C"] } }, ["Alice"]],
    ["text in", { name: { in: ["Carol", "nobody", "张伟"] } }, ["Carol", "张伟"]],
    ["text nin", { name: { nin: ["Carol", "张伟"] } }, ["Alice", "alice cooper", "bob_smith"]],
    ["text contains ci", { name: { contains: "ALICE" } }, ["Alice", "alice cooper"]],
    ["text contains CJK", { name: { contains: "张" } }, ["张伟"]],
    ["text startsWith", { name: { startsWith: "al" } }, ["Alice", "alice cooper"]],
    ["text contains % literal", { notes: { contains: "0%" } }, ["Alice"]],
    ["text contains % alone", { notes: { contains: "%" } }, ["Alice"]],
    ["text contains _ literal", { name: { contains: "b_s" } }, ["bob_smith"]],
    ["text contains _ alone", { notes: { contains: "_" } }, ["bob_smith"]],
    ["text contains backslash literal", { notes: { contains: "k\\s" } }, ["alice cooper"]],
    ["text startsWith _ literal", { name: { startsWith: "_" } }, []],
    ["text ne includes NULL", { notes: { ne: "大客户" } }, without("张伟")],
    ["text nin includes NULL", { email: { nin: ["alice@example.com"] } }, without("Alice")],
    ["email isNull", { email: { isNull: true } }, without("Alice")],
    ["email isNull false", { email: { isNull: false } }, ["Alice"]],
    ["created_by eq", { created_by: { eq: "u_1" } }, ["Alice"]],
    // enum
    ["enum eq", { tier: { eq: "gold" } }, ["Alice", "alice cooper"]],
    ["enum object value", { tier: { eq: "potential" } }, ["bob_smith"]],
    ["enum ne includes NULL", { tier: { ne: "gold" } }, ["Carol", "bob_smith", "张伟"]],
    ["enum in", { tier: { in: ["potential", "general"] } }, ["bob_smith", "张伟"]],
    ["enum nin includes NULL", { tier: { nin: ["potential", "general"] } }, ["Alice", "Carol", "alice cooper"]],
    ["enum isNull", { tier: { isNull: true } }, ["Carol"]],
    // multienum
    ["multienum eq is the same set", { tags: { eq: ["b", "a"] } }, ["Alice"]],
    ["multienum eq [] is empty or null", { tags: { eq: [] } }, ["Carol", "alice cooper"]],
    ["multienum ne", { tags: { ne: ["a", "b"] } }, without("Alice")],
    ["multienum contains one", { tags: { contains: "b" } }, ["Alice", "bob_smith", "张伟"]],
    ["multienum contains all of", { tags: { contains: ["a", "c"] } }, ["张伟"]],
    ["multienum contains [] is everything", { tags: { contains: [] } }, ALL],
    ["multienum in overlaps", { tags: { in: ["c", "b"] } }, ["Alice", "bob_smith", "张伟"]],
    ["multienum nin includes null/empty", { tags: { nin: ["a"] } }, ["Carol", "alice cooper", "bob_smith"]],
    ["multienum isNull = null or empty", { tags: { isNull: true } }, ["Carol", "alice cooper"]],
    ["multienum isNull false", { tags: { isNull: false } }, ["Alice", "bob_smith", "张伟"]],
    // decimal
    ["decimal eq string", { amount: { eq: "10.50" } }, ["Alice"]],
    ["decimal eq number", { amount: { eq: 10.5 } }, ["Alice"]],
    ["decimal lt", { amount: { lt: 0 } }, ["bob_smith"]],
    ["decimal lte", { amount: { lte: "0" } }, ["alice cooper", "bob_smith"]],
    ["decimal gt", { amount: { gt: "10.5" } }, ["张伟"]],
    ["decimal between", { amount: { between: [-2, "10.5"] } }, ["Alice", "alice cooper", "bob_smith"]],
    ["decimal ne includes NULL", { amount: { ne: 0 } }, without("alice cooper")],
    ["decimal nin", { amount: { nin: ["0", "-2"] } }, ["Alice", "Carol", "张伟"]],
    ["decimal isNull", { amount: { isNull: true } }, ["Carol"]],
    // integer
    ["integer eq max safe", { qty: { eq: Number.MAX_SAFE_INTEGER } }, ["张伟"]],
    ["integer eq string", { qty: { eq: "5" } }, ["bob_smith"]],
    ["integer gt", { qty: { gt: 1 } }, ["bob_smith", "张伟"]],
    ["integer in", { qty: { in: [1, -3] } }, ["Alice", "alice cooper"]],
    ["integer nin includes NULL", { qty: { nin: [1, -3] } }, ["Carol", "bob_smith", "张伟"]],
    ["version (system) gte", { version: { gte: 1 } }, ALL],
    // money: amount by default, currency by path
    ["money amount", { credit: { eq: "1000" } }, ["Alice", "张伟"]],
    ["money .amount", { "credit.amount": { gt: 50 } }, ["Alice", "张伟"]],
    ["money currency", { "credit.currency": { eq: "CNY" } }, ["Alice", "张伟"]],
    ["money currency ne includes NULL", { "credit.currency": { ne: "CNY" } }, ["Carol", "alice cooper", "bob_smith"]],
    ["money isNull", { credit: { isNull: true } }, ["Carol"]],
    // boolean
    ["boolean eq", { active: { eq: true } }, ["Alice", "张伟"]],
    ["boolean ne includes NULL", { active: { ne: true } }, ["Carol", "alice cooper", "bob_smith"]],
    ["boolean isNull", { active: { isNull: true } }, ["Carol"]],
    // date
    ["date eq", { signed_on: { eq: "2024-02-29" } }, ["alice cooper"]],
    ["date lt", { signed_on: { lt: "2024-01-15" } }, ["张伟"]],
    ["date between inclusive", { signed_on: { between: ["2024-01-15", "2024-02-29"] } }, ["Alice", "alice cooper"]],
    ["date in", { signed_on: { in: ["2024-03-01", "2023-12-31"] } }, ["bob_smith", "张伟"]],
    ["date isNull", { signed_on: { isNull: true } }, ["Carol"]],
    // datetime (zones respected; a date alone is midnight UTC)
    ["datetime eq with offset", { closed_at: { eq: "2024-01-15T16:00:00+08:00" } }, ["Alice"]],
    ["datetime gt", { closed_at: { gt: "2024-01-15T08:00:00Z" } }, ["bob_smith"]],
    ["datetime gte date only", { closed_at: { gte: "2024-01-01" } }, ["Alice", "bob_smith"]],
    ["datetime lt micro", { closed_at: { lt: "2023-12-31T23:59:59.999999Z" } }, []],
    ["datetime ne includes NULL", { closed_at: { ne: "2024-03-01T15:30:00Z" } }, without("bob_smith")],
    ["created_at lte now-ish", { created_at: { lte: "9999-12-31T23:59:59Z" } }, ALL],
    // reference / uuid
    ["reference eq", { customer: { eq: U1 } }, ["Alice", "张伟"]],
    ["reference eq upper-case uuid", { customer: { eq: U2.toUpperCase() } }, ["bob_smith"]],
    ["reference ne includes NULL", { customer: { ne: U1 } }, ["Carol", "alice cooper", "bob_smith"]],
    ["reference in", { customer: { in: [U2] } }, ["bob_smith"]],
    ["reference nin includes NULL", { customer: { nin: [U2] } }, without("bob_smith")],
    ["reference isNull", { customer: { isNull: true } }, ["Carol", "alice cooper"]],
    ["id nin", { id: { nin: [U1] } }, ALL],
    ["owner_id isNull", { owner_id: { isNull: true } }, ALL],
    // json: isNull only, JSON null counts as null
    ["json isNull", { meta: { isNull: true } }, ["Carol", "alice cooper", "bob_smith"]],
    ["json isNull false", { meta: { isNull: false } }, ["Alice", "张伟"]],
    // empty lists
    ["in [] matches nothing", { tier: { in: [] } }, []],
    ["nin [] matches everything", { tier: { nin: [] } }, ALL],
  ];
  it.each(cases)("%s", async (_label, filter, expected) => {
    expect(await names(filter)).toEqual([...expected].sort());
  });
});

describe("compileFilter: combinations", () => {
  it("ANDs several fields and several operators", async () => {
    expect(await names({ tier: { eq: "gold" }, amount: { gt: 1 } })).toEqual(["Alice"]);
    expect(await names({ qty: { gt: -10, lt: 5 } })).toEqual(["Alice", "alice cooper"]);
  });

  it("nests and / or / not", async () => {
    const f = { or: [{ and: [{ tier: { eq: "gold" } }, { active: { eq: false } }] }, { name: { startsWith: "张" } }] };
    expect(await names(f)).toEqual(["alice cooper", "张伟"]);
    expect(await names({ not: f })).toEqual(["Alice", "Carol", "bob_smith"]);
    expect(await names({ not: { not: f } })).toEqual(["alice cooper", "张伟"]);
  });

  it("makes not the exact complement, NULL rows included", async () => {
    expect(await names({ not: { tier: { eq: "gold" } } })).toEqual(["Carol", "bob_smith", "张伟"]);
    expect(await names({ not: { amount: { gt: 0 } } })).toEqual(["Carol", "alice cooper", "bob_smith"]);
    expect(await names({ not: { tags: { contains: "a" } } })).toEqual(["Carol", "alice cooper", "bob_smith"]);
  });

  it("treats empty and as true, empty or as false, {} as true", async () => {
    expect(await names({ and: [] })).toEqual([...ALL].sort());
    expect(await names({ or: [] })).toEqual([]);
    expect(await names({})).toEqual([...ALL].sort());
    expect(await names(undefined)).toEqual([...ALL].sort());
    expect(await names({ not: { or: [] } })).toEqual([...ALL].sort());
  });

  it("qualifies columns with an alias and binds every value", () => {
    const f = compileFilter(deal, { tier: { eq: "gold" }, "credit.currency": { in: ["CNY"] } }, { alias: "d" });
    expect(f).toEqual({ sql: '("d"."tier" = ? AND "d"."credit__currency" IN (?))', bindings: ["gold", "CNY"] });
  });

  it("never splices values into SQL", () => {
    const evil = "'; DROP TABLE data.deal; --";
    const f = compileFilter(deal, { name: { eq: evil }, notes: { contains: evil } });
    expect(f.sql).not.toContain("DROP");
    expect(f.bindings).toContain(evil);
  });
});

describe("compileFilter: refusals", () => {
  it("names an unknown operator by its exact path", () => {
    const issues = issuesOf({ and: [{ name: { eq: "x" } }, { tier: { gtx: "gold" } }] });
    expect(issues).toEqual([
      { path: "/filter/and/1/tier/gtx", message: 'unknown operator "gtx"; use one of eq, ne, in, nin, isNull' },
    ]);
  });

  it("names an unknown field", () => {
    const [issue] = issuesOf({ or: [{ nosuch: { eq: 1 } }] });
    expect(issue.path).toBe("/filter/or/0/nosuch");
    expect(issue.message).toMatch(/^unknown field "nosuch"/);
    expect(issuesOf({ __proto__x: { eq: 1 } })[0].path).toBe("/filter/__proto__x");
    expect(issuesOf(JSON.parse('{"__proto__": {"eq": 1}}'))[0].message).toMatch(/unknown field "__proto__"/);
    expect(issuesOf({ "credit.bogus": { eq: 1 } })[0].message).toMatch(/unknown field "credit.bogus"/);
    expect(issuesOf({ deleted: { eq: 1 }, _search: { eq: "x" } }).map((i) => i.path)).toEqual([
      "/filter/deleted",
      "/filter/_search",
    ]);
  });

  it("refuses operators that do not fit the type", () => {
    const cases: Array<[unknown, string]> = [
      [{ qty: { contains: "1" } }, "/filter/qty/contains"],
      [{ tier: { lt: "gold" } }, "/filter/tier/lt"],
      [{ active: { gt: true } }, "/filter/active/gt"],
      [{ meta: { eq: {} } }, "/filter/meta/eq"],
      [{ customer: { startsWith: "1" } }, "/filter/customer/startsWith"],
      [{ tags: { lt: "a" } }, "/filter/tags/lt"],
    ];
    for (const [f, path] of cases) {
      const [issue] = issuesOf(f);
      expect(issue.path).toBe(path);
      expect(issue.message).toMatch(/does not apply to .* field/);
    }
  });

  it("refuses malformed values with the path of the value", () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ qty: { eq: 1.5 } }, "/filter/qty/eq", /integer/],
      [{ qty: { eq: 2 ** 60 } }, "/filter/qty/eq", /out of range/],
      [{ version: { gt: 3000000000 } }, "/filter/version/gt", /out of range/],
      [{ amount: { eq: "1,5" } }, "/filter/amount/eq", /decimal/],
      [{ amount: { eq: "NaN" } }, "/filter/amount/eq", /decimal/],
      [{ amount: { eq: "1e999999" } }, "/filter/amount/eq", /decimal/],
      [{ signed_on: { eq: "2023-02-29" } }, "/filter/signed_on/eq", /date/],
      [{ signed_on: { eq: "2024-1-5" } }, "/filter/signed_on/eq", /date/],
      [{ closed_at: { gt: "yesterday" } }, "/filter/closed_at/gt", /ISO 8601/],
      [{ closed_at: { gt: "2024-01-01T25:00:00Z" } }, "/filter/closed_at/gt", /ISO 8601/],
      [{ customer: { eq: "not-a-uuid" } }, "/filter/customer/eq", /uuid/],
      [{ id: { in: [U1, "x"] } }, "/filter/id/in/1", /uuid/],
      [
        { tier: { eq: "platinum" } },
        "/filter/tier/eq",
        /"platinum" is not a value of "tier"; use one of gold, potential, general/,
      ],
      [{ tags: { contains: "z" } }, "/filter/tags/contains", /not a value of "tags"/],
      [{ tags: { in: ["a", "z"] } }, "/filter/tags/in/1", /not a value/],
      [{ active: { eq: "true" } }, "/filter/active/eq", /true or false/],
      [{ name: { eq: 5 } }, "/filter/name/eq", /string/],
      [{ name: { eq: "a\u0000b" } }, "/filter/name/eq", /NUL/],
      [{ name: { eq: null } }, "/filter/name/eq", /isNull/],
      [{ name: { isNull: "yes" } }, "/filter/name/isNull", /true or false/],
      [{ name: { in: "Alice" } }, "/filter/name/in", /array/],
      [{ amount: { between: [1] } }, "/filter/amount/between", /\[low, high\]/],
      [{ amount: { between: [1, "x"] } }, "/filter/amount/between/1", /decimal/],
      [{ name: "Alice" }, "/filter/name", /expected operators/],
      [{ name: {} }, "/filter/name", /expected operators/],
      [{ and: { name: { eq: "x" } } }, "/filter/and", /array/],
      [{ or: [{ name: { eq: "x" } }, 5] }, "/filter/or/1", /expected an object/],
      [{ not: [] }, "/filter/not", /expected an object/],
      [[{ name: { eq: "x" } }], "/filter", /expected an object/],
    ];
    for (const [f, path, message] of cases) {
      const issues = issuesOf(f);
      expect(
        issues.map((i) => i.path),
        JSON.stringify(f),
      ).toEqual([path]);
      expect(issues[0].message).toMatch(message);
    }
  });

  it("reports every problem at once", () => {
    const issues = issuesOf({ nosuch: { eq: 1 }, tier: { eq: "x", gtx: 1 }, and: [{ qty: { eq: "a" } }] });
    expect(issues.map((i) => i.path)).toEqual([
      "/filter/nosuch",
      "/filter/tier/eq",
      "/filter/tier/gtx",
      "/filter/and/0/qty/eq",
    ]);
  });

  it("limits depth, size and list length", () => {
    let deep: unknown = { name: { eq: "x" } };
    for (let i = 0; i < FILTER_LIMITS.depth + 1; i++) deep = { not: deep };
    expect(issuesOf(deep)[0].message).toMatch(/nested deeper than 16/);
    const wide = { or: Array.from({ length: 600 }, () => ({ name: { eq: "x" } })) };
    expect(issuesOf(wide)).toEqual([
      { path: "/filter/or/249/name/eq", message: "filter has more than 500 conditions" },
    ]);
    expect(issuesOf({ name: { in: Array.from({ length: 1001 }, (_, i) => `n${i}`) } })[0].message).toMatch(
      /at most 1000/,
    );
    expect(filterIssues(deal, { name: { in: Array.from({ length: 1000 }, (_, i) => `n${i}`) } })).toEqual([]);
  });

  it("reports under another path prefix without throwing", () => {
    expect(filterIssues(deal, { status: { eq: "x" } }, { path: "/fields/3/filter" })[0].path).toBe(
      "/fields/3/filter/status",
    );
  });
});
