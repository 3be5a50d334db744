import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { createTestDepartment, createTestRole, createTestUser } from "../testing/test-users";

// Random filters, sorts, searches and expands issued by scoped users never return an out-of-scope record or a hidden field.
let engine: TestEngine;
const seen: Record<string, { token: string; allowed: Set<string> }> = {};

const item = {
  name: "item",
  label: { en: "Item", zh: "条目" },
  ownership: "department" as const,
  fields: [
    { name: "name", type: "text" as const },
    { name: "tag", type: "enum" as const, values: ["red", "green", "blue"] },
    { name: "secret", type: "text" as const },
    { name: "score", type: "integer" as const },
    { name: "parent", type: "reference" as const, target: "item", onDelete: "setNull" as const },
  ],
};

beforeAll(async () => {
  engine = await startTestEngine();
  const ctx = engine.ctx;
  await defineEntities(ctx, [item]);
  const A = await createTestDepartment(ctx, { name: "A" });
  const A1 = await createTestDepartment(ctx, { name: "A1", parentId: A.id });
  const B = await createTestDepartment(ctx, { name: "B" });
  const hideSecret = { item: { secret: { read: false, write: false } } };
  const dept = await createTestRole(ctx, {
    name: "dept",
    permissions: { item: { read: "department" } },
    fields: hideSecret,
  });
  const tree = await createTestRole(ctx, { name: "tree", permissions: { item: { read: "department_tree" } } });
  const own = await createTestRole(ctx, { name: "own", permissions: { item: { read: "own" } }, fields: hideSecret });
  const ua = await createTestUser(ctx, { login: "ua", departmentId: A.id, roleIds: [dept.id] });
  const ut = await createTestUser(ctx, { login: "ut", departmentId: A.id, roleIds: [tree.id] });
  const uo = await createTestUser(ctx, { login: "uo", departmentId: A1.id, roleIds: [own.id] });
  const places = [
    { owner: ua.id, department: A.id },
    { owner: ut.id, department: A.id },
    { owner: uo.id, department: A1.id },
    { owner: null, department: A1.id },
    { owner: null, department: B.id },
    { owner: uo.id, department: B.id },
  ];
  const rows: Array<{ id: string; owner: string | null; department: string }> = [];
  for (let i = 0; i < 36; i++) {
    const place = places[i % places.length];
    const res = await engine.http("/api/data/item", {
      method: "POST",
      body: {
        name: `item ${i} ${["alpha", "beta", "gamma"][i % 3]}`,
        tag: ["red", "green", "blue"][i % 3],
        secret: `hush ${i}`,
        score: (i * 7) % 11,
        parent: rows.length ? rows[(i * 5) % rows.length].id : null,
      },
    });
    await ctx.db
      .knex("data.item")
      .where({ id: res.body.id })
      .update({ owner_id: place.owner, department_id: place.department });
    rows.push({ id: res.body.id, ...place });
  }
  const allow = (test: (r: (typeof rows)[number]) => boolean) => new Set(rows.filter(test).map((r) => r.id));
  seen.ua = { token: ua.token, allowed: allow((r) => r.department === A.id) };
  seen.ut = { token: ut.token, allowed: allow((r) => r.department === A.id || r.department === A1.id) };
  seen.uo = { token: uo.token, allowed: allow((r) => r.owner === uo.id) };
});
afterAll(() => engine?.close());

const FIELDS = ["name", "tag", "secret", "score", "parent", "owner_id", "department_id"];
const leaf = fc
  .oneof(
    fc.record({
      name: fc.constantFrom("name", "secret"),
      op: fc.constantFrom("contains", "startsWith", "eq"),
      v: fc.constantFrom("item", "hush", "1", "alpha"),
    }),
    fc.record({
      name: fc.constant("tag"),
      op: fc.constantFrom("eq", "ne"),
      v: fc.constantFrom("red", "green", "blue"),
    }),
    fc.record({
      name: fc.constant("score"),
      op: fc.constantFrom("gt", "lte", "eq"),
      v: fc.integer({ min: 0, max: 10 }),
    }),
    fc.record({ name: fc.constantFrom("parent", "owner_id", "secret"), op: fc.constant("isNull"), v: fc.boolean() }),
  )
  .map(({ name, op, v }) => ({ [name]: { [op]: v } }));
const filterArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ and: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie("node") }),
  ),
})).node;
const queryArb = fc.record({
  user: fc.constantFrom("ua", "ut", "uo"),
  filter: fc.option(filterArb, { nil: undefined }),
  sort: fc.option(
    fc.subarray(
      FIELDS.filter((f) => f !== "parent"),
      { minLength: 1, maxLength: 2 },
    ),
    { nil: undefined },
  ),
  descending: fc.boolean(),
  search: fc.option(fc.constantFrom("alpha", "hush", "item 1", "gamma"), { nil: undefined }),
  expand: fc.boolean(),
  limit: fc.integer({ min: 1, max: 20 }),
});

const namesIn = (filter: unknown): string[] =>
  filter === null || typeof filter !== "object"
    ? []
    : Array.isArray(filter)
      ? filter.flatMap(namesIn)
      : Object.entries(filter).flatMap(([k, v]) => (["and", "or", "not"].includes(k) ? namesIn(v) : [k]));

describe("a scoped user's random queries", () => {
  it("never return an out-of-scope record or a hidden field", async () => {
    let returned = 0;
    await fc.assert(
      fc.asyncProperty(queryArb, async (query) => {
        const { token, allowed } = seen[query.user];
        const hides = query.user !== "ut";
        const params = new URLSearchParams({ limit: String(query.limit) });
        if (query.filter !== undefined) params.set("filter", JSON.stringify(query.filter));
        if (query.sort)
          params.set("sort", query.sort.map((s, i) => (i === 0 && query.descending ? `-${s}` : s)).join(","));
        if (query.search) params.set("search", query.search);
        if (query.expand) params.set("expand", "parent");
        const namesSecret = namesIn(query.filter).includes("secret") || (query.sort ?? []).includes("secret");
        let path = `/api/data/item?${params}`;
        for (let page = 0; page < 3 && path; page++) {
          const res = await engine.http(path, { as: token });
          if (hides && namesSecret) {
            expect(res.status).toBe(400);
            return;
          }
          expect(res.status).toBe(200);
          returned += res.body.data.length;
          for (const record of res.body.data) {
            expect(allowed.has(record.id)).toBe(true);
            if (hides) expect(record).not.toHaveProperty("secret");
            if (query.expand && record.parent !== null) {
              expect(allowed.has(record.parent.id)).toBe(true);
              if (hides) expect(record.parent).not.toHaveProperty("secret");
            }
          }
          if (hides && query.search === "hush") expect(res.body.data).toEqual([]);
          path = res.body.nextCursor
            ? `/api/data/item?${params}&cursor=${encodeURIComponent(res.body.nextCursor)}`
            : "";
        }
      }),
      { numRuns: 60 },
    );
    expect(returned).toBeGreaterThan(0);
  });
});
