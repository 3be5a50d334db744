import type { RunningServer } from "@kehu/engine";
import { createTestUser, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserUnavailable, type StudioUnderTest, screenshot, signIn, startStudio } from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "forms e2e password";

describe.skipIf(skip)("the form designer in a real browser on a real engine", () => {
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
          { name: "name", type: "text", required: true, label: { en: "Name", zh: "名称" } },
          { name: "tier", type: "enum", values: ["gold", "general"], label: { en: "Tier", zh: "等级" } },
          { name: "email", type: "email", label: { en: "Email", zh: "邮箱" } },
        ],
      },
    ]);
    ({ engine, server } = studio);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
  }, 180_000);

  afterAll(() => studio?.close());

  it("an admin moves a field into a new section, saves, and the record page shows the new layout", async () => {
    const page = await studio.newPage();
    await signIn(page, server.url, "ada", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "en")`);
    await page.goto(`${server.url}/#/forms/customer`);
    await page.reload();
    await page.getByRole("button", { name: "Add section" }).click();
    const second = page.getByTestId("section-1");
    await second.getByLabel("Section title (English)").fill("Contact");
    await second.getByLabel("Section title (Chinese)").fill("联系方式");
    // The keyboard alternative to dragging: the last field of the first section steps down into the new one.
    await page.locator('li[data-field="email"]').getByRole("button", { name: "Move down" }).click();
    await second.locator('li[data-field="email"]').waitFor();
    await page.getByTestId("form-preview").locator('fieldset[data-section="Contact"] #root_email').waitFor();
    await page.getByRole("button", { name: "Save form" }).click();
    await page.getByText("Form saved.").waitFor();
    await screenshot(page, "forms-designer");
    const stored = await engine.http("/api/meta/forms/customer/default");
    expect(
      stored.body.definition.sections.map((s: { fields: Array<{ field: string }> }) => s.fields.map((f) => f.field)),
    ).toEqual([["name", "tier"], ["email"]]);

    const record = await engine.http("/api/data/customer", {
      method: "POST",
      body: { name: "西湖建材", email: "a@b.cn" },
    });
    await page.goto(`${server.url}/#/data/customer/${record.body.id}`);
    const contact = page.locator('fieldset.form-section[data-section="Contact"]');
    await contact.locator("#root_email").waitFor();
    expect(await contact.locator("legend").textContent()).toBe("Contact");
    expect(await page.locator('fieldset.form-section[data-section="Details"] #root_email').count()).toBe(0);
    await screenshot(page, "forms-record-page");
  }, 120_000);
});
