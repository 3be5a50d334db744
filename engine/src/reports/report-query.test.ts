import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { createTestDepartment, createTestRole, createTestUser } from "../testing/test-users";

const region: EntityDefinition = {
  name: "region",
  titleField: "name",
  ownership: "none",
  fields: [{ name: "name", type: "text" }],
};
const order: EntityDefinition = {
  name: "sales_order",
  ownership: "department",
  fields: [
    { name: "region", type: "reference", target: "region" },
    { name: "status", type: "enum", values: ["open", "won"] },
    { name: "amount", type: "money" },
    { name: "qty", type: "integer" },
    { name: "ordered_on", type: "date" },
    { name: "note", type: "text" },
    { name: "margin", type: "decimal" },
  ],
};

let engine: TestEngine;
const tokens: Record<string, string> = {};
const regions: Record<string, string> = {};
const report = (body: unknown, as?: string, query = "") =>
  engine.http(`/api/reports/query${query}`, { method: "POST", body, as });
const q = (body: Record<string, unknown>, as?: string) =>
  report({ entity: "sales_order", rateDate: "ordered_on", ...body }, as);
const paths = (res: { body: { errors?: Array<{ path: string }> } }) => res.body.errors?.map((e) => e.path).sort();

beforeAll(async () => {
  engine = await startTestEngine();
  const ctx = engine.ctx;
  await defineEntities(ctx, [region, order]);
  const A = await createTestDepartment(ctx, { name: "A" });
  const B = await createTestDepartment(ctx, { name: "B" });
  const seller = await createTestRole(ctx, {
    name: "seller",
    permissions: { sales_order: { create: "department", read: "department" }, region: { read: "all" } },
    fields: { sales_order: { margin: { read: false, write: false } } },
  });
  tokens.alice = (await createTestUser(ctx, { login: "alice", departmentId: A.id, roleIds: [seller.id] })).token;
  tokens.bob = (await createTestUser(ctx, { login: "bob", departmentId: B.id, roleIds: [seller.id] })).token;
  for (const name of ["North", "South"])
    regions[name] = (await engine.http("/api/data/region", { method: "POST", body: { name } })).body.id;
  for (const [currency, rate] of [
    ["USD", "7"],
    ["JPY", "0.0485"],
  ])
    await engine.http("/api/admin/exchange-rates", {
      method: "POST",
      body: { currency, validFrom: "2024-01-01", rate },
    });
  const add = async (
    as: string,
    r: string,
    status: string,
    amount: string,
    currency: string,
    qty: number,
    on: string,
  ) => {
    const body = {
      region: regions[r],
      status,
      amount: { amount, currency },
      qty,
      ordered_on: on,
      note: `${r} ${status}`,
    };
    const res = await engine.http("/api/data/sales_order", { method: "POST", body: { ...body }, as: tokens[as] });
    expect(res.status).toBe(201);
  };
  await add("alice", "North", "open", "100.00", "CNY", 2, "2024-01-15");
  await add("alice", "North", "won", "10.00", "USD", 1, "2024-02-10");
  await add("alice", "South", "won", "1000", "JPY", 5, "2024-02-20");
  await add("bob", "South", "won", "200.00", "CNY", 3, "2024-03-01");
  await engine.ctx.db.knex("data.sales_order").update({ margin: "0.25" });
});
afterAll(() => engine.close());

describe("POST /api/reports/query", () => {
  it("groups and measures, money converted to the base currency at each row's rate date", async () => {
    const res = await q({
      groupBy: ["status"],
      measures: [
        { fn: "count" },
        { fn: "sum", field: "amount", as: "total" },
        { fn: "avg", field: "amount" },
        { fn: "min", field: "amount" },
        { fn: "max", field: "amount" },
        { fn: "sum", field: "qty" },
        { fn: "max", field: "ordered_on" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe("CNY");
    expect(res.body.sql).toBeUndefined();
    expect(res.body.rows).toEqual([
      {
        status: "open",
        count: 1,
        total: "100.00",
        avg_amount: "100.00",
        min_amount: "100.00",
        max_amount: "100.00",
        sum_qty: "2",
        max_ordered_on: "2024-01-15",
      },
      {
        status: "won",
        count: 3,
        total: "318.50",
        avg_amount: "106.17",
        min_amount: "48.50",
        max_amount: "200.00",
        sum_qty: "9",
        max_ordered_on: "2024-03-01",
      },
    ]);
  });

  it("buckets dates by month and year, returns reference groups with their titles, sorts by a measure", async () => {
    const months = await q({
      groupBy: [{ field: "ordered_on", by: "month" }],
      measures: [{ fn: "sum", field: "amount" }],
    });
    expect(months.body.rows).toEqual([
      { ordered_on_month: "2024-01-01", sum_amount: "100.00" },
      { ordered_on_month: "2024-02-01", sum_amount: "118.50" },
      { ordered_on_month: "2024-03-01", sum_amount: "200.00" },
    ]);
    const years = await q({ groupBy: [{ field: "created_at", by: "year" }], measures: [{ fn: "count" }] });
    expect(years.body.rows).toEqual([{ created_at_year: `${new Date().getUTCFullYear()}-01-01`, count: 4 }]);
    const byRegion = await q({
      groupBy: ["region"],
      measures: [{ fn: "sum", field: "amount", as: "total" }],
      sort: "-total",
      limit: 1,
    });
    expect(byRegion.body.rows).toEqual([{ region: { id: regions.South, title: "South" }, total: "248.50" }]);
    const perCurrency = await q({
      groupBy: ["amount.currency"],
      measures: [{ fn: "count" }],
      sort: "-count,amount_currency",
    });
    expect(perCurrency.body.rows).toEqual([
      { amount_currency: "CNY", count: 2 },
      { amount_currency: "JPY", count: 1 },
      { amount_currency: "USD", count: 1 },
    ]);
  });

  it("converts to a requested currency, rounding each row by its rule; filters and searches", async () => {
    const usd = await q({ measures: [{ fn: "sum", field: "amount" }], currency: "USD" });
    // 100/7 = 14.29, 10.00, 48.50/7 = 6.93, 200/7 = 28.57
    expect(usd.body).toEqual({ rows: [{ sum_amount: "59.79" }], currency: "USD" });
    const jpy = await q({
      measures: [{ fn: "sum", field: "amount" }],
      currency: "JPY",
      filter: { status: { eq: "open" } },
    });
    expect(jpy.body.rows).toEqual([{ sum_amount: "2062" }]); // 100 / 0.0485 = 2061.86
    const found = await q({ measures: [{ fn: "count" }], search: "north" });
    expect(found.body.rows).toEqual([{ count: 2 }]);
  });

  it("names every problem of a bad request with a 400, never a 500", async () => {
    const shape = await report({
      entity: "sales_order",
      measures: [],
      groupBy: [{ field: "ordered_on", by: "week" }],
      x: 1,
    });
    expect(shape.status).toBe(400);
    expect(paths(shape)).toEqual(["/groupBy/0", "/groupBy/0/by", "/measures", "/x"]);
    const names = await q({
      groupBy: ["nope", "amount", { field: "status", by: "month" }],
      measures: [
        { fn: "sum", field: "note" },
        { fn: "avg" },
        { fn: "count" },
        { fn: "sum", field: "qty", as: "count" },
      ],
      filter: { ghost: { eq: 1 } },
      sort: "-bogus",
    });
    expect(names.status).toBe(400);
    expect(paths(names)).toEqual([
      "/filter/ghost",
      "/groupBy/0",
      "/groupBy/1",
      "/groupBy/2/by",
      "/measures",
      "/measures/0/field",
      "/measures/1/field",
      "/sort",
    ]);
    expect((await report({ entity: "nothing", measures: [{ fn: "count" }] })).status).toBe(404);
    expect(paths(await q({ measures: [{ fn: "count" }], currency: "XYZ" }))).toEqual(["/currency"]);
  });

  it("answers a missing rate with a 422 naming currency and date", async () => {
    const res = await q({ measures: [{ fn: "sum", field: "amount" }], currency: "EUR" });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/No exchange rate for EUR in force on 2024-01-15/);
  });

  it("shows the compiled SQL to administrators only", async () => {
    const body = { entity: "sales_order", measures: [{ fn: "count" }], filter: { status: { eq: "won" } } };
    const admin = await report(body, undefined, "?explain=1");
    expect(admin.body.sql).toMatch(/^SELECT count\(\*\) AS "count" FROM data\."sales_order" AS "t"/);
    expect(admin.body.bindings).toEqual(["won"]);
    expect((await report(body, tokens.alice, "?explain=1")).status).toBe(403);
  });

  it("runs as the caller: department scope narrows totals, hidden fields cannot be used", async () => {
    const mine = await q({ measures: [{ fn: "count" }, { fn: "sum", field: "amount" }] }, tokens.alice);
    expect(mine.body.rows).toEqual([{ count: 3, sum_amount: "218.50" }]);
    const bobs = await q({ groupBy: ["region"], measures: [{ fn: "sum", field: "amount" }] }, tokens.bob);
    expect(bobs.body.rows).toEqual([{ region: { id: regions.South, title: "South" }, sum_amount: "200.00" }]);
    for (const body of [
      { groupBy: ["margin"], measures: [{ fn: "count" }] },
      { measures: [{ fn: "sum", field: "margin" }] },
      { measures: [{ fn: "count" }], filter: { margin: { gt: 0 } } },
    ]) {
      const res = await q(body, tokens.alice);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual(['unknown field "margin"']);
    }
    const admin = await q({ measures: [{ fn: "sum", field: "margin" }] });
    expect(admin.body.rows).toEqual([{ sum_margin: "1.00" }]);
  });
});
