import type { RunningServer } from "@kehu/engine";
import { createTestRole, createTestUser, type TestEngine } from "@kehu/engine/testing";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bpmnXml, chain, inputs } from "../../engine/src/workflow/test-bpmn";
import {
  browserUnavailable,
  openRoute,
  type StudioUnderTest,
  screenshot,
  signedInPage,
  startStudio,
} from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "import e2e password";

const reminder = bpmnXml(
  `<startEvent id="s"/>
   <serviceTask id="remind" camunda:type="external" camunda:topic="notify">${inputs({
     to: "uma",
     title: "Settlement due: 第一期",
     body: "¥120,000.00 is due on 2026-12-14",
   })}</serviceTask>
   <endEvent id="e"/>${chain("s", "remind", "e")}`,
);

describe.skipIf(skip)("import, revision revert and notifications in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;

  beforeAll(async () => {
    studio = await startStudio([
      {
        name: "supplier",
        label: { en: "Supplier", zh: "供应商" },
        titleField: "name",
        ownership: "none",
        fields: [
          { name: "name", type: "text", required: true, label: { en: "Name", zh: "名称" } },
          { name: "code", type: "text", unique: true, label: { en: "Code", zh: "编码" } },
          { name: "rating", type: "integer", min: 1, max: 5, label: { en: "Rating", zh: "评级" } },
        ],
      },
    ]);
    ({ engine, server } = studio);
    const buyers = await createTestRole(engine.ctx, {
      name: "buyers",
      permissions: { supplier: { create: "all", read: "all", update: "all" } },
    });
    await createTestUser(engine.ctx, { login: "uma", roleIds: [buyers.id], password: PASSWORD });
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
    const deployed = await engine.http("/api/workflows/deployments", {
      method: "POST",
      body: { key: "settlement_reminder", xml: reminder },
    });
    expect(deployed.status).toBe(201);
  }, 180_000);
  afterAll(() => studio?.close());

  const newPage = async (login: string, hash: string) => {
    const page = await signedInPage(studio, login, PASSWORD);
    await openRoute(page, server.url, hash);
    return page;
  };

  it("a user imports a CSV with a bad row in skip-invalid mode and sees the row error; an Excel file upserts by code", async () => {
    const page = await newPage("uma", "data/supplier");
    await page.getByTestId("import-open").click();
    const wizard = page.getByTestId("import-wizard");
    const csv = "名称,Code,rating,note\nAcme Tiles,S-1,4,x\nBad Bricks,S-2,nine,y\nCement Co,S-3,5,z\n";
    await wizard.getByTestId("import-file").setInputFiles({
      name: "suppliers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    // Matched by the Chinese label, the field name and the English label; the unknown column is left out.
    const mapping = wizard.getByTestId("import-mapping");
    expect(await mapping.getByLabel("名称").inputValue()).toBe("name");
    expect(await mapping.getByLabel("Code").inputValue()).toBe("code");
    expect(await mapping.getByLabel("note").inputValue()).toBe("");

    // All or nothing (the default) refuses the file and names the bad row; nothing is written.
    await wizard.getByRole("button", { name: "Import", exact: true }).click();
    await wizard.getByText("Nothing was imported: 1 row is not valid.").waitFor();
    expect((await engine.http("/api/data/supplier")).body.data).toEqual([]);

    await wizard.getByLabel("Skip the bad rows").check();
    await wizard.getByRole("button", { name: "Import", exact: true }).click();
    await wizard.getByText("2 created, 0 updated, 1 skipped.").waitFor();
    const errors = wizard.getByTestId("import-errors").locator("tbody tr");
    expect(await errors.count()).toBe(1);
    const cells = await errors.first().locator("td").allTextContents();
    expect(cells.slice(0, 2)).toEqual(["3", "rating"]);
    expect(cells[2]).not.toBe("");
    await page.getByTestId("record-list").getByText("Cement Co").waitFor();
    await page.getByTestId("record-list").getByText("Acme Tiles").waitFor();
    await screenshot(page, "import-row-errors");
    const download = page.waitForEvent("download");
    await wizard.getByRole("button", { name: "Download the row errors (CSV)" }).click();
    expect((await download).suggestedFilename()).toBe("supplier-import-errors.csv");
    const names = (await engine.http("/api/data/supplier?sort=name")).body.data.map((r: { name: string }) => r.name);
    expect(names).toEqual(["Acme Tiles", "Cement Co"]);

    // An Excel file whose headers are read in the browser, upserting by the unique code.
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Suppliers").addRows([
      ["编码", "Name"],
      ["S-1", "Acme Tiles & Stone"],
    ]);
    await wizard.getByTestId("import-file").setInputFiles({
      name: "suppliers.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    expect(await mapping.getByLabel("编码").inputValue()).toBe("code");
    expect(await mapping.getByLabel("Name").inputValue()).toBe("name");
    await wizard.getByTestId("import-upsert").selectOption("code");
    await wizard.getByRole("button", { name: "Import", exact: true }).click();
    await wizard.getByText("0 created, 1 updated, 0 skipped.").waitFor();
    await page.getByTestId("record-list").getByText("Acme Tiles & Stone").waitFor();
    await page.close();
  }, 120_000);

  it("an admin sees a revision's diff and reverts a field addition after confirming its plan", async () => {
    const stored = (await engine.http("/api/meta/entities/supplier")).body.definition;
    const added = await engine.http("/api/meta/entities/supplier", {
      method: "PUT",
      body: { ...stored, fields: [...stored.fields, { name: "website", type: "url", label: { en: "Website" } }] },
    });
    expect(added.status).toBe(200);
    const revision = added.body.revision as number;
    await engine.http("/api/data/supplier", { method: "POST", body: { name: "Delta", website: "https://d.example" } });

    const page = await newPage("ada", "designer/supplier");
    const item = page.getByTestId(`revision-${revision}`);
    await item.getByRole("button", { name: "Show changes" }).click();
    const diff = item.getByTestId("revision-diff");
    expect(await diff.textContent()).toContain("Field added: Website (website, ");
    await item.getByRole("button", { name: "Revert…" }).click();
    const plan = item.getByTestId("plan-preview");
    await plan.locator('li[data-destructive="true"]').waitFor();
    expect(await plan.locator('li[data-destructive="true"]').textContent()).toContain("website");
    const apply = plan.getByRole("button", { name: "Apply" });
    expect(await apply.isDisabled()).toBe(true);
    await screenshot(page, "revision-revert-plan");
    expect((await engine.http("/api/meta/entities/supplier")).body.definition.fields).toHaveLength(4);

    await plan.getByRole("checkbox").check();
    await apply.click();
    await page.getByText(`undoes #${revision}`).waitFor();
    const after = (await engine.http("/api/meta/entities/supplier")).body.definition;
    expect(after.fields.map((f: { name: string }) => f.name)).toEqual(["name", "code", "rating"]);
    await page.close();
  }, 120_000);

  it("a reminder appears in the bell with its text and is marked read there", async () => {
    const started = await engine.http("/api/workflows/settlement_reminder/instances", { method: "POST", body: {} });
    expect(started.status).toBe(201);
    const page = await newPage("uma", "data/supplier");
    const bell = page.getByTestId("notification-bell");
    await bell.getByTestId("notification-count").getByText("1").waitFor();
    await bell.click();
    const panel = page.getByTestId("notification-panel");
    const note = panel.getByTestId("notification");
    await note.getByText("Settlement due: 第一期").waitFor();
    expect(await note.textContent()).toContain("¥120,000.00 is due on 2026-12-14");
    await screenshot(page, "notifications-bell");
    await note.getByRole("button", { name: "Mark read" }).click();
    await bell.getByTestId("notification-count").waitFor({ state: "detached" });
    const mine = await engine.ctx.db.knex("kehu.wf_notifications").where({ user_login: "uma" });
    expect(mine.map((n) => n.read_at !== null)).toEqual([true]);
    await page.close();
  }, 120_000);

  it("an admin opens a saved report, adds a filter like a list view's, previews and saves it", async () => {
    const saved = await engine.http("/api/reports/supplier_ratings", {
      method: "PUT",
      body: {
        key: "supplier_ratings",
        label: { en: "Suppliers by rating", zh: "供应商评级" },
        query: { entity: "supplier", groupBy: ["rating"], measures: [{ fn: "count", as: "suppliers" }] },
        chart: { type: "table" },
      },
    });
    expect(saved.status).toBe(201);
    await engine.http("/api/data/supplier", { method: "POST", body: { name: "Echo", rating: 5 } });
    await engine.http("/api/data/supplier", { method: "POST", body: { name: "Foxtrot", rating: 2 } });
    const page = await newPage("ada", "reports/builder");
    const builder = page.getByTestId("report-builder");
    await builder.locator('select[name="report-open"]').selectOption("supplier_ratings");
    await page.waitForURL(/#\/reports\/builder\/supplier_ratings$/);
    await builder.locator('input[name="report-label-en"]').waitFor();
    expect(await builder.locator('input[name="report-label-en"]').inputValue()).toBe("Suppliers by rating");
    expect(await builder.locator('select[name="report-group-0"]').inputValue()).toBe("rating");

    const filters = builder.getByTestId("report-filters");
    await filters.getByRole("button", { name: "Add condition" }).click();
    await filters.getByLabel("Field").selectOption("rating");
    await filters.getByLabel("Operator").selectOption("gte");
    await filters.getByLabel("Value", { exact: true }).fill("5");
    await builder.getByRole("button", { name: "Preview" }).click();
    await screenshot(page, "report-builder-edit");
    await builder.getByRole("button", { name: "Save report" }).click();
    await builder.getByRole("status").waitFor();
    const stored = (await engine.http("/api/reports/supplier_ratings")).body.definition;
    expect(stored.query).toEqual({
      entity: "supplier",
      filter: { rating: { gte: 5 } },
      groupBy: ["rating"],
      measures: [{ fn: "count", as: "suppliers" }],
    });
    expect(stored.chart).toEqual({ type: "table" });
    const run = await engine.http("/api/reports/supplier_ratings/run", { method: "POST" });
    const fives = (await engine.http(`/api/data/supplier?filter=${encodeURIComponent('{"rating":{"eq":5}}')}`)).body
      .data;
    expect(run.body.rows).toEqual([{ rating: 5, suppliers: fives.length }]);
    await page.close();
  }, 120_000);
});
