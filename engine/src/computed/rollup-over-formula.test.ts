import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";

let engine: TestEngine;

const order = {
  name: "order",
  ownership: "none" as const,
  fields: [{ name: "title", type: "text" as const }],
};
const line = {
  name: "order_line",
  ownership: "none" as const,
  fields: [
    { name: "order", type: "reference" as const, target: "order" },
    { name: "quantity", type: "decimal" as const, scale: 2 },
    { name: "unit_price", type: "decimal" as const, scale: 2 },
    { name: "list_price", type: "decimal" as const, scale: 2 },
    {
      name: "amount",
      type: "formula" as const,
      expression: "round(quantity * unit_price, 2)",
      resultType: "decimal" as const,
    },
    {
      name: "above_list",
      type: "formula" as const,
      expression: "if(unit_price > list_price, (unit_price - list_price) * quantity, 0)",
      resultType: "decimal" as const,
    },
    { name: "customer_name", type: "formula" as const, expression: "order.title", resultType: "text" as const },
  ],
};

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [order, line]);
  await defineEntities(engine.ctx, [
    {
      ...order,
      fields: [
        ...order.fields,
        { name: "total", type: "rollup", child: "order_line", via: "order", function: "sum", field: "amount" },
        { name: "above_list", type: "rollup", child: "order_line", via: "order", function: "sum", field: "above_list" },
        { name: "largest", type: "rollup", child: "order_line", via: "order", function: "max", field: "amount" },
      ],
    },
  ]);
}, 90_000);

afterAll(() => engine?.close());

describe("a roll-up over a row formula of its child", () => {
  it("follows every insert, update, delete and re-parenting of the child rows", async () => {
    const a = (await engine.http("/api/data/order", { method: "POST", body: { title: "A" } })).body.id;
    const b = (await engine.http("/api/data/order", { method: "POST", body: { title: "B" } })).body.id;
    const post = (body: object) => engine.http("/api/data/order_line", { method: "POST", body });
    const one = (await post({ order: a, quantity: "5000", unit_price: "15.00", list_price: "10.00" })).body;
    await post({ order: a, quantity: "2.5", unit_price: "4.00", list_price: "5.00" });
    const read = async (id: string) => {
      const { total, above_list, largest } = (await engine.http(`/api/data/order/${id}`)).body;
      return {
        total: Number(total),
        above_list: Number(above_list),
        largest: largest === null ? null : Number(largest),
      };
    };
    expect(await read(a)).toEqual({ total: 75010, above_list: 25000, largest: 75000 });

    await engine.http(`/api/data/order_line/${one.id}`, {
      method: "PATCH",
      body: { unit_price: "12.00" },
      headers: { "if-match": String(one.version) },
    });
    expect(await read(a)).toEqual({ total: 60010, above_list: 10000, largest: 60000 });

    await engine.http(`/api/data/order_line/${one.id}`, {
      method: "PATCH",
      body: { order: b },
      headers: { "if-match": String(one.version + 1) },
    });
    expect(await read(a)).toEqual({ total: 10, above_list: 0, largest: 10 });
    expect(await read(b)).toEqual({ total: 60000, above_list: 10000, largest: 60000 });

    await engine.http(`/api/data/order_line/${one.id}`, {
      method: "DELETE",
      headers: { "if-match": String(one.version + 2) },
    });
    expect(await read(b)).toEqual({ total: 0, above_list: 0, largest: null });
  });

  it("is refused over a formula that reads another record, naming what it reads", async () => {
    const res = await engine.http("/api/meta/entities/order", {
      method: "PUT",
      body: {
        ...order,
        fields: [
          ...order.fields,
          { name: "names", type: "rollup", child: "order_line", via: "order", function: "max", field: "customer_name" },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toMatch(/customer_name is a text formula/);
  });
});
