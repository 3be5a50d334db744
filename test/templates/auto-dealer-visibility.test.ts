import { applyTemplate, seedTemplate, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
let tokens: Record<string, string>;

beforeAll(async () => {
  engine = await startTestEngine();
  await applyTemplate(engine.ctx, "auto-dealer");
  tokens = await seedTemplate(engine.ctx, "auto-dealer");
}, 300_000);
afterAll(() => engine?.close());

const leads = async (token?: string) => {
  const res = await engine.http("/api/data/lead?limit=1000&fields=name,brand_interest,region", { as: token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Array<{ brand_interest: string; region: string }>;
};

describe("auto-dealer demo data", () => {
  it("gives each 4S store its own leads: a BYD East consultant sees only BYD leads of East and Central China", async () => {
    const all = await leads();
    const mine = await leads(tokens.byd_e01);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((l) => l.brand_interest === "byd" && ["East", "Central"].includes(l.region))).toBe(true);
    expect(mine).toHaveLength(
      all.filter((l) => l.brand_interest === "byd" && ["East", "Central"].includes(l.region)).length,
    );
    expect(await leads(tokens.gm)).toHaveLength(all.length);
  });

  it("shows a BMW consultant their store's orders, not the whole group's", async () => {
    const orders = await engine.http("/api/data/sales_order?limit=1000", { as: tokens.bmw01 });
    expect(orders.status).toBe(200);
    expect(orders.body.data.length).toBeGreaterThan(0);
    const everyone = await engine.http("/api/data/sales_order?limit=1000");
    expect(orders.body.data.length).toBeLessThan(everyone.body.data.length);
  });
});
