import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDepartment,
  createTestRole,
  createTestUser,
  defineEntities,
  startTestEngine,
  type TestEngine,
} from "../../testing";

let engine: TestEngine;
const tokens: Record<string, string> = {};

const deal = {
  name: "deal",
  ownership: "department" as const,
  fields: [
    { name: "title", type: "text" as const },
    { name: "stage", type: "enum" as const, values: ["open", "won", "lost"] },
    { name: "amount", type: "decimal" as const, scale: 2 },
    { name: "margin", type: "decimal" as const, scale: 2 },
  ],
};
const byStage = {
  label: { en: "Deals by stage", zh: "按阶段统计商机" },
  query: {
    entity: "deal",
    filter: { stage: { ne: "lost" } },
    groupBy: ["stage"],
    measures: [
      { fn: "count", as: "deals" },
      { fn: "sum", field: "amount", as: "amount" },
    ],
    sort: "stage",
  },
  chart: { type: "bar", x: "stage", series: ["amount"] },
};

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [deal]);
  const east = await createTestDepartment(engine.ctx, { name: "East" });
  const west = await createTestDepartment(engine.ctx, { name: "West" });
  const seller = await createTestRole(engine.ctx, {
    name: "seller",
    permissions: { deal: { create: "department", read: "department" } },
    fields: { deal: { margin: { read: false, write: false } } },
  });
  tokens.east = (
    await createTestUser(engine.ctx, { login: "east", departmentId: east.id, roleIds: [seller.id] })
  ).token;
  tokens.west = (
    await createTestUser(engine.ctx, { login: "west", departmentId: west.id, roleIds: [seller.id] })
  ).token;
  const add = (as: string, stage: string, amount: string) =>
    engine.http("/api/data/deal", { method: "POST", as: tokens[as], body: { title: stage, stage, amount } });
  for (const [as, stage, amount] of [
    ["east", "open", "100.00"],
    ["east", "won", "250.50"],
    ["east", "lost", "999.00"],
    ["west", "open", "40.00"],
    ["west", "open", "60.00"],
  ])
    expect((await add(as, stage, amount)).status).toBe(201);
});
afterAll(() => engine?.close());

describe("saved reports", () => {
  it("saves a report for administrators only, naming every problem by path", async () => {
    expect((await engine.http("/api/reports/deals", { method: "PUT", body: byStage, as: tokens.east })).status).toBe(
      403,
    );
    const bad = await engine.http("/api/reports/deals", {
      method: "PUT",
      body: { ...byStage, query: { ...byStage.query, groupBy: ["stgae"] }, chart: { type: "pie", x: "region" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors).toContainEqual({ path: "/query/groupBy/0", message: 'unknown field "stgae"' });
    const badChart = await engine.http("/api/reports/deals", {
      method: "PUT",
      body: { ...byStage, chart: { type: "pie", x: "region" } },
    });
    expect(badChart.body.errors).toEqual([
      { path: "/chart/x", message: '"region" is not an output of the query (stage, deals, amount)' },
    ]);
    const otherKey = await engine.http("/api/reports/deals", { method: "PUT", body: { ...byStage, key: "other" } });
    expect(otherKey.body.errors).toEqual([{ path: "/key", message: 'must be "deals", as in the path' }]);
    expect((await engine.http("/api/reports/deals", { method: "PUT", body: byStage })).status).toBe(201);
    expect((await engine.http("/api/reports/deals", { method: "PUT", body: byStage })).status).toBe(200);
    expect((await engine.http("/api/reports?entity=deal")).body.data).toHaveLength(1);
  });

  it("runs a saved report as the caller: each department sees its own deals", async () => {
    const admin = await engine.http("/api/reports/deals/run", { method: "POST" });
    expect(admin.body.rows).toEqual([
      { stage: "open", deals: 3, amount: "200.00" },
      { stage: "won", deals: 1, amount: "250.50" },
    ]);
    const west = await engine.http("/api/reports/deals/run", { method: "POST", as: tokens.west });
    expect(west.body.rows).toEqual([{ stage: "open", deals: 2, amount: "100.00" }]);
    expect(west.body.report.label.zh).toBe("按阶段统计商机");
    expect((await engine.http("/api/reports/deals/run?explain=1", { method: "POST", as: tokens.west })).status).toBe(
      403,
    );
    const explained = await engine.http("/api/reports/deals/run?explain=1", { method: "POST" });
    expect(explained.body.sql).toContain("GROUP BY");
    expect((await engine.http("/api/reports/nope/run", { method: "POST" })).status).toBe(404);
  });

  it("shows a dashboard's reports, a report the caller may not run as its problem", async () => {
    const hidden = {
      ...byStage,
      label: { en: "Margin" },
      query: { entity: "deal", measures: [{ fn: "sum", field: "margin" }] },
    };
    delete (hidden as { chart?: unknown }).chart;
    expect((await engine.http("/api/reports/margin", { method: "PUT", body: hidden })).status).toBe(201);
    const missing = await engine.http("/api/dashboards/sales", {
      method: "PUT",
      body: { label: { en: "Sales" }, reports: ["deals", "ghost"] },
    });
    expect(missing.body.errors).toEqual([{ path: "/reports/1", message: 'no report "ghost"' }]);
    const saved = await engine.http("/api/dashboards/sales", {
      method: "PUT",
      body: { label: { en: "Sales", zh: "销售" }, reports: ["deals", "margin"] },
    });
    expect(saved.status).toBe(201);
    const data = await engine.http("/api/dashboards/sales/data", { as: tokens.east });
    expect(data.status).toBe(200);
    expect(data.body.reports[0].rows).toEqual([
      { stage: "open", deals: 1, amount: "100.00" },
      { stage: "won", deals: 1, amount: "250.50" },
    ]);
    expect(data.body.reports[1].problem).toMatchObject({ status: 400, errors: [{ path: "/measures/0/field" }] });
    const refused = await engine.http("/api/reports/deals", { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("dashboard(s) sales");
  });

  it("names a saved report when a field it reads would be dropped", async () => {
    const impact = await engine.http("/api/meta/entities/deal/impact?field=stage");
    expect(impact.body.data.map((d: { label: string }) => d.label)).toContain('report "deals" reads deal.stage');
    const current = (await engine.http("/api/meta/entities/deal")).body.definition;
    const without = { ...current, fields: current.fields.filter((f: { name: string }) => f.name !== "stage") };
    const res = await engine.http("/api/meta/entities/deal?confirm=1", { method: "PUT", body: without });
    expect(res.status).toBe(409);
    expect(res.body.errors.map((e: { message: string }) => e.message).join("\n")).toContain('report "deals"');
  });
});
