import { applyTemplate, seedTemplate, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
let tokens: Record<string, string> = {};
const CLOSED = ["approved", "active", "completed"];

beforeAll(async () => {
  engine = await startTestEngine();
  await applyTemplate(engine.ctx, "building-materials");
  tokens = await seedTemplate(engine.ctx, "building-materials");
}, 300_000);

afterAll(() => engine?.close());

/** Every live contract the caller can see, read through the data API page by page. */
async function visibleContracts(as: string | undefined): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await engine.http(`/api/data/contract?${query}`, { as });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    all.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all.filter((c) => CLOSED.includes(c.status as string));
}

const cents = (v: unknown) =>
  Math.round(Number(typeof v === "object" && v ? (v as { amount: string }).amount : v) * 100);

describe("building-materials dashboards", () => {
  it("installs its reports and dashboards, and installing again changes nothing", async () => {
    const dashboards = (await engine.http("/api/dashboards")).body.data;
    expect(dashboards.map((d: { definition: { key: string } }) => d.definition.key)).toEqual([
      "contract_settlement",
      "sales",
    ]);
    expect((await engine.http("/api/reports")).body.data).toHaveLength(6);
    const before = (await engine.http("/api/reports/customer_value")).body.updatedAt;
    await applyTemplate(engine.ctx, "building-materials");
    expect((await engine.http("/api/reports/customer_value")).body.updatedAt).toBe(before);
  });

  it("totals signed and collected money by owner as the contracts themselves add up, per caller's scope", async () => {
    const owners: Record<string, number> = {};
    for (const as of ["admin", "sales01"]) {
      const token = as === "admin" ? undefined : tokens[as]; // the test engine's default caller is an administrator
      const contracts = await visibleContracts(token);
      const expected = new Map<string, { signed: number; collected: number }>();
      for (const c of contracts) {
        const sum = expected.get(c.owner_id as string) ?? { signed: 0, collected: 0 };
        sum.signed += cents(c.amount);
        sum.collected += cents(c.collected ?? 0);
        expected.set(c.owner_id as string, sum);
      }
      const res = await engine.http("/api/reports/contract_money_by_owner/run", { method: "POST", as: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const got = new Map(
        res.body.rows.map((r: Record<string, { id: string } & Record<string, unknown>>) => [
          r.owner_id?.id,
          { signed: cents(r.signed), collected: cents(r.collected ?? 0) },
        ]),
      );
      expect(got).toEqual(expected);
      owners[as] = got.size;
      if (as === "sales01") expect(new Set(contracts.map((c) => c.department_id)).size).toBe(1);
    }
    // A salesperson's report covers their store only; the administrator's, the whole group.
    expect(owners.sales01).toBeGreaterThan(0);
    expect(owners.admin).toBeGreaterThan(owners.sales01);
  });

  it("names owners and departments, and shows a whole dashboard to finance", async () => {
    const res = await engine.http("/api/dashboards/contract_settlement/data", { as: tokens.fin01 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byKey = Object.fromEntries(res.body.reports.map((r: { key: string }) => [r.key, r]));
    expect(Object.keys(byKey)).toEqual([
      "contract_money_by_owner",
      "contract_money_by_department",
      "contract_money_by_month",
    ]);
    for (const r of res.body.reports) expect(r.problem, r.key).toBeUndefined();
    const owners = byKey.contract_money_by_owner.rows.map((r: { owner_id: { title: string } }) => r.owner_id.title);
    expect(owners.every((t: string) => typeof t === "string" && t.length > 0)).toBe(true);
    const departments = byKey.contract_money_by_department.rows.map(
      (r: { department_id: { title: string } }) => r.department_id.title,
    );
    expect(departments.every((t: string) => typeof t === "string" && t.length > 0)).toBe(true);
    const months = byKey.contract_money_by_month.rows.map((r: { signed_on_month: string }) => r.signed_on_month);
    expect(months).toEqual([...months].sort());
  });

  it("weights the funnel by stage probability and leaves out lost opportunities", async () => {
    const res = await engine.http("/api/reports/opportunity_funnel/run", { method: "POST" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stages = res.body.rows.map((r: { stage: string }) => r.stage);
    expect(stages).not.toContain("lost");
    const won = res.body.rows.find((r: { stage: string }) => r.stage === "won");
    if (won) expect(cents(won.weighted)).toBe(cents(won.amount));
    const qualification = res.body.rows.find((r: { stage: string }) => r.stage === "qualification");
    if (qualification)
      expect(Math.abs(cents(qualification.weighted) - cents(qualification.amount) / 10)).toBeLessThanOrEqual(
        qualification.opportunities,
      );
  });
});

describe("auto-dealer dashboards", () => {
  it("install with the template and count stock by model and warehouse", async () => {
    const other = await startTestEngine();
    try {
      await applyTemplate(other.ctx, "auto-dealer");
      await seedTemplate(other.ctx, "auto-dealer");
      const res = await other.http("/api/reports/stock_by_model_warehouse/run", { method: "POST" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const vehicles = (await other.http("/api/data/vehicle?limit=1000")).body.data.filter(
        (v: { stock_status: string }) => ["in_stock", "reserved", "in_transit"].includes(v.stock_status),
      );
      const total = res.body.rows.reduce((n: number, r: { vehicles: number }) => n + r.vehicles, 0);
      expect(total).toBe(vehicles.length);
      expect(res.body.rows[0].vehicle_model.title).toEqual(expect.any(String));
    } finally {
      await other.close();
    }
  }, 240_000);
});
