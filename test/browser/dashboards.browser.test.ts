import type { RunningServer } from "@kehu/engine";
import { applyTemplate, createTestUser, seedTemplate, type TestEngine } from "@kehu/engine/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailable, type StudioUnderTest, screenshot, signIn, startStudio } from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "dashboards e2e password";
const DEMO_PASSWORD = "dashboards demo password";

describe.skipIf(skip)("the building-materials dashboards in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;
  let tokens: Record<string, string> = {};

  beforeAll(async () => {
    studio = await startStudio([]);
    ({ engine, server } = studio);
    await applyTemplate(engine.ctx, "building-materials");
    tokens = await seedTemplate(engine.ctx, "building-materials", DEMO_PASSWORD);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
  }, 300_000);

  afterAll(() => studio?.close());

  const openAsAda = async (hash: string): Promise<Page> => {
    const page = await studio.newPage();
    await signIn(page, server.url, "ada", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "en")`);
    await page.goto(`${server.url}/#/${hash}`);
    await page.reload();
    return page;
  };

  it("draws each chart report of contract settlement, and its table shows owners and totals as the API does", async () => {
    const page = await openAsAda("dashboards");
    await page.locator('[data-dashboard="contract_settlement"]').getByText("Contract settlement").click();
    await page.getByTestId("dashboard-title").getByText("Contract settlement").waitFor();

    const { body } = await engine.http("/api/dashboards/contract_settlement/data");
    const charted = (body.reports as Array<{ key: string; report: { chart?: { type: string } } }>).filter(
      (r) => r.report.chart && r.report.chart.type !== "table",
    );
    expect(charted.map((r) => r.key)).toEqual([
      "contract_money_by_owner",
      "contract_money_by_department",
      "contract_money_by_month",
    ]);
    for (const { key } of charted)
      await page.locator(`[data-report="${key}"] [data-testid="report-chart"] canvas`).waitFor();
    expect(
      await page.locator('[data-report="contract_money_by_owner"] [data-testid="report-currency"]').textContent(),
    ).toBe("Amounts in CNY");
    await screenshot(page, "dashboards-contract-settlement");

    const card = page.locator('[data-report="contract_money_by_owner"]');
    await card.getByRole("button", { name: "Table" }).click();
    const table = card.getByTestId("report-table");
    await table.waitFor();
    const run = await engine.http("/api/reports/contract_money_by_owner/run", { method: "POST" });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const top = run.body.rows[0] as { owner_id: { title: string }; signed: string };
    expect(top.owner_id.title).toMatch(/\S/);
    const firstRow = table.locator("tbody tr").first();
    expect(await firstRow.locator('[data-column="owner_id"]').textContent()).toBe(top.owner_id.title);
    expect(await firstRow.locator('[data-column="signed"]').textContent()).toBe(top.signed);
    expect(await table.locator("tbody tr").count()).toBe(run.body.rows.length);

    // Administrators can see the SQL a report compiles to.
    await card.getByRole("button", { name: "Show SQL" }).click();
    expect(await card.getByTestId("report-sql").textContent()).toMatch(/select/i);
    await screenshot(page, "dashboards-owner-table");

    await page.getByTestId("locale-switch").selectOption("zh-CN");
    await page.getByTestId("dashboard-title").getByText("合同回款概览").waitFor();
    await card.getByRole("heading", { name: "按负责人统计合同金额" }).waitFor();
    await screenshot(page, "dashboards-contract-settlement-zh");
    await page.close();
  });
  it("an administrator builds a report from groups and measures, previews it and saves it", async () => {
    const page = await openAsAda("reports/builder");
    await page.locator('select[name="report-entity"]').selectOption("contract");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.locator('select[name="report-group-0"]').selectOption("owner_id");
    await page.getByRole("button", { name: "Add measure" }).click();
    await page.locator('select[name="report-measure-1-fn"]').selectOption("sum");
    await page.locator('select[name="report-measure-1-field"]').selectOption("amount");
    await page.locator('input[name="report-measure-1-as"]').fill("signed");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.locator('[data-testid="report-chart"] canvas').waitFor();

    await page.locator('input[name="report-key"]').fill("signed_by_owner");
    await page.locator('input[name="report-label-en"]').fill("Signed by owner");
    await page.getByRole("button", { name: "Save report" }).click();
    await page.getByRole("status").getByText("Report saved.").waitFor();
    await screenshot(page, "dashboards-report-builder");
    const saved = await engine.http("/api/reports/signed_by_owner");
    expect(saved.body.definition).toEqual({
      key: "signed_by_owner",
      label: { en: "Signed by owner" },
      query: {
        entity: "contract",
        groupBy: ["owner_id"],
        measures: [{ fn: "count" }, { fn: "sum", field: "amount", as: "signed" }],
      },
      chart: { type: "bar" },
    });
    // The saved report runs for everyone with its own key: one row per owner.
    const ran = await engine.http("/api/reports/signed_by_owner/run", { method: "POST" });
    expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    expect(ran.body.rows.length).toBeGreaterThan(1);
    await page.close();
  });
  it("a salesperson sees the same dashboard within their own scope, without the SQL", async () => {
    const page = await studio.newPage();
    await signIn(page, server.url, "sales01", DEMO_PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.sales01", "en")`);
    await page.goto(`${server.url}/#/dashboards/contract_settlement`);
    await page.reload();
    const card = page.locator('[data-report="contract_money_by_owner"]');
    await card.locator('[data-testid="report-chart"] canvas').waitFor();
    expect(await page.getByRole("button", { name: "Show SQL" }).count()).toBe(0);
    await card.getByRole("button", { name: "Table" }).click();
    const run = await engine.http("/api/reports/contract_money_by_owner/run", { method: "POST", as: tokens.sales01 });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const all = await engine.http("/api/reports/contract_money_by_owner/run", { method: "POST" });
    expect(run.body.rows.length).toBeLessThan(all.body.rows.length);
    const rows = card.getByTestId("report-table").locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.locator('[data-column="owner_id"]').allTextContents()).toEqual(
      run.body.rows.map((r: { owner_id: { title: string } }) => r.owner_id.title),
    );
    expect(await rows.locator('[data-column="collected"]').allTextContents()).toEqual(
      run.body.rows.map((r: { collected: string }) => r.collected),
    );
    await page.close();
  });
});
