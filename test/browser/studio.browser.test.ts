import type { RunningServer } from "@kehu/engine";
import { createTestRole, createTestUser, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailable, type StudioUnderTest, screenshot, signIn, startStudio } from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "studio e2e password";

describe.skipIf(skip)("the studio in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;

  beforeAll(async () => {
    studio = await startStudio([
      {
        name: "customer",
        label: { en: "Customer", zh: "客户" },
        titleField: "name",
        ownership: "none",
        fields: [
          { name: "name", type: "text", required: true, max: 100, label: { en: "Name", zh: "名称" } },
          {
            name: "tier",
            type: "enum",
            label: { en: "Tier", zh: "等级" },
            values: [
              { value: "gold", label: { en: "Gold", zh: "金牌" } },
              { value: "general", label: { en: "General", zh: "普通" } },
            ],
          },
          { name: "email", type: "email", label: { en: "Email", zh: "邮箱" } },
        ],
      },
    ]);
    ({ engine, server } = studio);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
    const role = await createTestRole(engine.ctx, {
      name: "sales",
      permissions: { customer: { create: "all", read: "all", update: "all" } },
    });
    await createTestUser(engine.ctx, { login: "bo", roleIds: [role.id], password: PASSWORD });
  }, 180_000);

  // Each test is a new browser profile: no cookie or saved locale carries over.
  const newPage = () => studio.newPage();

  afterAll(() => studio?.close());

  it("an admin adds a field in the designer, previews and applies the plan, and it shows in the form and the list", async () => {
    const page = await newPage();
    await signIn(page, server.url, "ada", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "en")`);
    await page.goto(`${server.url}/#/designer/customer`);
    await page.reload();
    await page.getByRole("button", { name: "Add field" }).click();
    const editor = page.getByTestId("field-editor");
    await editor.locator('input[name="field-name"]').fill("city");
    await editor.locator('input[name="label-en"]').fill("City");
    await editor.locator('input[name="label-zh"]').fill("城市");
    await page.getByRole("button", { name: "Preview changes" }).click();
    const plan = page.getByTestId("plan-preview");
    await plan.waitFor();
    expect(await plan.textContent()).toContain("Add field");
    await screenshot(page, "designer-plan-preview");
    await plan.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Changes applied.").waitFor();
    const stored = await engine.http("/api/meta/entities/customer");
    expect(stored.body.definition.fields.map((f: { name: string }) => f.name)).toContain("city");

    await page.goto(`${server.url}/#/data/customer/new`);
    await page.getByLabel("City").fill("杭州");
    await page.getByLabel("Name", { exact: false }).first().fill("西湖建材");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.goto(`${server.url}/#/data/customer`);
    const list = page.getByTestId("record-list");
    await list.getByRole("button", { name: "City" }).waitFor();
    await list.getByText("杭州").waitFor();
    await screenshot(page, "designer-field-in-list");
    await page.close();
  }, 90_000);

  it("a user creates a record, sees the server's error on the field, fixes it and saves", async () => {
    const page = await newPage();
    await signIn(page, server.url, "bo", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.bo", "en")`);
    await page.goto(`${server.url}/#/data/customer/new`);
    await page.reload();
    await page.getByLabel("Name", { exact: false }).first().fill("上海钢铁");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Save" }).click();
    const emailGroup = page.locator(".rjsf-field-error", { has: page.getByLabel("Email") });
    await emailGroup.locator(".error-detail").waitFor();
    expect(await emailGroup.locator(".error-detail").textContent()).toMatch(/email/i);
    await screenshot(page, "record-inline-server-error");
    expect((await engine.http("/api/data/customer?search=上海钢铁")).body.data).toHaveLength(0);

    await page.getByLabel("Email").fill("buyer@shsteel.cn");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect(page.url()).toMatch(/#\/data\/customer\/[0-9a-f-]{36}$/);
    const saved = (await engine.http("/api/data/customer?search=上海钢铁")).body.data;
    expect(saved).toMatchObject([{ name: "上海钢铁", email: "buyer@shsteel.cn" }]);
    await page.getByRole("button", { name: "History" }).click();
    await page.getByTestId("audit-history").getByText("Created").waitFor();
    await screenshot(page, "record-saved-history");
    await page.close();
  }, 90_000);

  it("switching to zh-CN shows Chinese labels, and the choice stays with the user", async () => {
    const created = await engine.http("/api/data/customer", {
      method: "POST",
      body: { name: "宁波五金", tier: "gold" },
    });
    expect(created.status).toBe(201);
    const page = await newPage();
    await signIn(page, server.url, "bo", PASSWORD);
    await page.goto(`${server.url}/#/data/customer`);
    await page.getByTestId("locale-switch").selectOption("en");
    await page.getByRole("button", { name: "New record" }).waitFor();
    await page.getByTestId("locale-switch").selectOption("zh-CN");
    await page.getByRole("button", { name: "新建记录" }).waitFor();
    const headers = await page.getByTestId("record-list").locator("th").allTextContents();
    expect(headers).toEqual(expect.arrayContaining(["名称", "等级", "邮箱"]));
    await page.getByTestId("record-list").getByText("金牌").waitFor();
    expect(await page.locator(".topbar").textContent()).toContain("数据");
    await screenshot(page, "locale-zh-cn");
    await page.reload();
    await page.getByRole("button", { name: "新建记录" }).waitFor();
    await page.close();
  }, 90_000);
});
