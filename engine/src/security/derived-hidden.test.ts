import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { createTestRole, createTestUser } from "../testing/test-users";

let engine: TestEngine;
let clerk: string;

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    {
      name: "supplier",
      ownership: "none",
      fields: [
        { name: "name", type: "text" },
        { name: "rebate", type: "decimal", scale: 2 },
      ],
    },
    {
      name: "item",
      ownership: "none",
      fields: [
        { name: "name", type: "text" },
        { name: "price", type: "decimal", scale: 2 },
        { name: "cost", type: "decimal", scale: 2 },
        { name: "supplier", type: "reference", target: "supplier" },
        { name: "margin", type: "formula", expression: "price - cost", resultType: "decimal" },
        { name: "rich", type: "formula", expression: "price > 100 and cost > 50", resultType: "boolean" },
        { name: "net", type: "formula", expression: "price - coalesce(supplier.rebate, 0)", resultType: "decimal" },
        { name: "label", type: "formula", expression: "upper(name)", resultType: "text" },
      ],
    },
    {
      name: "sale",
      ownership: "none",
      fields: [
        { name: "item", type: "reference", target: "item" },
        { name: "quantity", type: "integer" },
        { name: "cost_total", type: "decimal", scale: 2 },
      ],
    },
  ]);
  await defineEntities(engine.ctx, [
    {
      name: "item",
      ownership: "none",
      fields: [
        { name: "name", type: "text" },
        { name: "price", type: "decimal", scale: 2 },
        { name: "cost", type: "decimal", scale: 2 },
        { name: "supplier", type: "reference", target: "supplier" },
        { name: "margin", type: "formula", expression: "price - cost", resultType: "decimal" },
        { name: "rich", type: "formula", expression: "price > 100 and cost > 50", resultType: "boolean" },
        { name: "net", type: "formula", expression: "price - coalesce(supplier.rebate, 0)", resultType: "decimal" },
        { name: "label", type: "formula", expression: "upper(name)", resultType: "text" },
        { name: "sold", type: "rollup", child: "sale", via: "item", function: "sum", field: "quantity" },
        { name: "sold_cost", type: "rollup", child: "sale", via: "item", function: "sum", field: "cost_total" },
      ],
    },
  ]);
  const supplier = await engine.http("/api/data/supplier", { method: "POST", body: { name: "S", rebate: "5.00" } });
  const item = await engine.http("/api/data/item", {
    method: "POST",
    body: { name: "tile", price: "300.00", cost: "120.00", supplier: supplier.body.id },
  });
  await engine.http("/api/data/sale", {
    method: "POST",
    body: { item: item.body.id, quantity: 4, cost_total: "480.00" },
  });
  const role = await createTestRole(engine.ctx, {
    name: "clerk",
    permissions: { item: { read: "all" }, supplier: { read: "all" }, sale: { read: "all" } },
    fields: {
      item: { cost: { read: false, write: false } },
      supplier: { rebate: { read: false, write: false } },
      sale: { cost_total: { read: false, write: false } },
    },
  });
  clerk = (await createTestUser(engine.ctx, { login: "clerk", roleIds: [role.id] })).token;
}, 90_000);

afterAll(() => engine?.close());

describe("computed fields over hidden fields", () => {
  it("hide every formula and roll-up that would give a hidden value back, and keep the others", async () => {
    const admin = await engine.http("/api/data/item");
    expect(admin.body.data[0]).toMatchObject({ margin: "180.00", rich: true, net: "295.00", sold: "4" });
    const list = await engine.http("/api/data/item", { as: clerk });
    expect(list.status).toBe(200);
    const [row] = list.body.data;
    for (const hidden of ["cost", "margin", "rich", "net", "sold_cost"]) expect(row).not.toHaveProperty(hidden);
    expect(row).toMatchObject({ price: "300.00", label: "TILE", sold: "4" });
    const one = await engine.http(`/api/data/item/${row.id}`, { as: clerk });
    expect(one.body).not.toHaveProperty("margin");
  });

  it("refuse filtering and sorting on them as on unknown fields, so nothing can be inferred", async () => {
    const filter = encodeURIComponent(JSON.stringify({ margin: { gt: 100 } }));
    const byFilter = await engine.http(`/api/data/item?filter=${filter}`, { as: clerk });
    expect(byFilter.status).toBe(400);
    expect(byFilter.body.detail).toMatch(/unknown field "margin"/);
    const bySort = await engine.http("/api/data/item?sort=-net", { as: clerk });
    expect(bySort.status).toBe(400);
    const fields = await engine.http("/api/data/item?fields=name,sold_cost", { as: clerk });
    expect(fields.status).toBe(400);
  });

  it("leave them out of the schema and OpenAPI the reader gets", async () => {
    const schema = await engine.http("/api/meta/entities/item/schema?kind=read", { as: clerk });
    expect(Object.keys(schema.body.properties)).toEqual(expect.arrayContaining(["name", "price", "label", "sold"]));
    for (const hidden of ["cost", "margin", "rich", "net", "sold_cost"])
      expect(Object.keys(schema.body.properties)).not.toContain(hidden);
    const create = await engine.http("/api/meta/entities/item/schema", { as: clerk });
    expect(Object.keys(create.body.properties)).not.toContain("cost");
    const openapi = await engine.http("/api/openapi.json", { as: clerk });
    expect(JSON.stringify(openapi.body)).not.toMatch(/"sold_cost"/);
  });
});
