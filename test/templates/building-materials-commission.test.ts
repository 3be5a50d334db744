import { applyTemplate, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
  await applyTemplate(engine.ctx, "building-materials");
}, 240_000);

afterAll(() => engine?.close());

const post = async (entity: string, body: Record<string, unknown>) => {
  const res = await engine.http(`/api/data/${entity}`, { method: "POST", body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const cny = (amount: string) => ({ amount, currency: "CNY" });

describe("building-materials: commission on collected money", () => {
  it("reproduces the worked example: list 10, sold at 15, 5,000 units collected this month", async () => {
    const rep = await post("sales_rep", { name: "王伟", login: "sales01", region: "East" });
    const customer = await post("customer", { name: "上海恒达建材有限公司", code: "C9001" });
    const product = await post("product", { sku: "P9001", name: "釉面砖", list_price: cny("10.00") });
    const contract = await post("contract", {
      title: "恒达 釉面砖 供货合同",
      customer: customer.id,
      sales_rep: rep.id,
      amount: cny("75000.00"),
    });
    expect(contract.number).toMatch(/^HT-\d{4}-0001$/);
    await post("contract_line", {
      contract: contract.id,
      product: product.id,
      quantity: "5000",
      list_price: "10.00",
      unit_price: "15.00",
    });
    const signed = (await engine.http(`/api/data/contract/${contract.id}`)).body;
    expect(Number(signed.line_total)).toBe(75000);
    expect(Number(signed.over_list_total)).toBe(25000);

    // The collection carries the above-list part of what it collects (here all of it).
    const collection = await post("collection", {
      contract: contract.id,
      sales_rep: rep.id,
      received_on: "2026-11-20",
      amount: cny("75000.00"),
      status: "confirmed",
      over_list_part: "25000.00",
    });
    // (15 − 10) × 5,000 × 10% = 2,500 above list; (75,000 − 25,000) × 3% = 1,500 base.
    expect(Number(collection.commission)).toBe(4000);
    expect(Number(collection.commission_payable)).toBe(3600);
    expect(Number(collection.commission_reserve)).toBe(400);

    const totals = (await engine.http(`/api/data/sales_rep/${rep.id}`)).body;
    expect(Number(totals.commission_total)).toBe(4000);
    expect(Number(totals.reserve_held)).toBe(400);
    expect(Number(totals.reserve_released)).toBe(0);
    const after = (await engine.http(`/api/data/contract/${contract.id}`)).body;
    expect(after.collected).toEqual(cny("75000.00"));
    expect(Number(after.outstanding)).toBe(0);
  });

  it("caps the risk reserve at 5,000 per sales rep and pays out what is above it", async () => {
    const rep = await post("sales_rep", { name: "李娜", login: "sales02", region: "North" });
    const customer = await post("customer", { name: "北京鑫丰装饰工程有限公司", code: "C9002" });
    const contract = await post("contract", {
      title: "鑫丰 工程集采 合同",
      customer: customer.id,
      sales_rep: rep.id,
      amount: cny("2000000.00"),
    });
    // 3% of 2,000,000 is 60,000 commission; 10% of it (6,000) would go to the reserve, which holds 5,000 at most.
    await post("collection", {
      contract: contract.id,
      sales_rep: rep.id,
      received_on: "2026-11-21",
      amount: cny("2000000.00"),
      status: "confirmed",
    });
    const totals = (await engine.http(`/api/data/sales_rep/${rep.id}`)).body;
    expect(Number(totals.commission_total)).toBe(60000);
    expect(Number(totals.reserve_held)).toBe(5000);
    expect(Number(totals.reserve_released)).toBe(1000);
  });
});
