import type { RunningServer } from "@kehu/engine";
import { createTestUser, type TestEngine } from "@kehu/engine/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserUnavailable,
  openRoute,
  type StudioUnderTest,
  screenshot,
  signedInPage,
  startStudio,
} from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "admin e2e password";

describe.skipIf(skip)("the admin pages in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;

  beforeAll(async () => {
    studio = await startStudio([
      {
        name: "customer",
        label: { en: "Customer", zh: "客户" },
        titleField: "name",
        ownership: "user",
        fields: [
          { name: "name", type: "text", required: true, max: 100, label: { en: "Name", zh: "名称" } },
          { name: "credit", type: "integer", label: { en: "Credit", zh: "信用额度" } },
        ],
      },
    ]);
    ({ engine, server } = studio);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
    for (const name of ["杭州东方贸易", "北京远洋"])
      expect((await engine.http("/api/data/customer", { method: "POST", body: { name, credit: 100 } })).status).toBe(
        201,
      );
  }, 180_000);

  const newPage = async (login: string) => {
    const page = await signedInPage(studio, login, PASSWORD);
    page.on("dialog", (d) => void d.accept());
    return page;
  };
  const go = (page: Page, hash: string) => openRoute(page, server.url, hash);

  afterAll(() => studio?.close());

  it("an admin sets up a department, a department-scoped role and a user, and the explainer says why", async () => {
    const page = await newPage("ada");
    await go(page, "admin/departments");
    await page.locator('input[name="department-name"]').fill("East China");
    await page.getByRole("button", { name: "Add department" }).click();
    await page.locator('tr[data-department="East China"]').waitFor();
    // A department that still has a sub-department cannot be deleted; the server's reason shows.
    await page.locator('input[name="department-name"]').fill("Hangzhou");
    await page.locator('select[name="department-parent"]').selectOption({ label: "East China" });
    await page.getByRole("button", { name: "Add department" }).click();
    await page.locator('tr[data-department="Hangzhou"]').waitFor();
    await page.locator('tr[data-department="East China"]').getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alert").getByText("sub-departments").waitFor();

    await go(page, "admin/roles");
    await page.locator('input[name="role-name"]').fill("east-sales");
    await page.getByRole("button", { name: "Add role" }).click();
    const matrix = page.getByTestId("permission-matrix");
    await matrix.locator('select[name="customer.read"]').selectOption("department");
    await page.getByRole("button", { name: "Save permissions" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    const roles = (await engine.http("/api/admin/roles")).body.data as Array<{ id: string; name: string }>;
    const role = roles.find((r) => r.name === "east-sales")!;
    expect((await engine.http(`/api/admin/roles/${role.id}/permissions`)).body).toEqual({
      entities: { customer: { read: "department" } },
      fields: {},
    });

    await go(page, "admin/users");
    await page.getByRole("button", { name: "New user" }).click();
    const form = page.getByTestId("user-form");
    await form.locator('input[name="user-login"]').fill("cy");
    await form.locator('input[name="user-displayName"]').fill("Chen Yu");
    await form.locator('select[name="user-department"]').selectOption({ label: "East China" });
    await form.locator('input[name="user-role-east-sales"]').check();
    await form.locator('input[name="user-password"]').fill(PASSWORD);
    await form.getByRole("button", { name: "Save" }).click();
    const row = page.locator('tr[data-user="cy"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("East China");
    expect(await row.textContent()).toContain("east-sales");

    // One customer moves to cy (and so to East China); the other stays outside the department.
    const users = (await engine.http("/api/admin/users")).body.data as Array<{ id: string; login: string }>;
    const cy = users.find((u) => u.login === "cy")!;
    const moved = await engine.http("/api/admin/ownership/transfer", {
      method: "POST",
      body: { entity: "customer", filter: { name: { eq: "杭州东方贸易" } }, toUser: cy.id },
    });
    expect(moved.body).toEqual({ transferred: 1 });

    await go(page, "admin/explain");
    const explain = async (title: string) => {
      await page.locator('select[name="explain-user"]').selectOption({ label: "Chen Yu (cy)" });
      await page.locator('select[name="explain-entity"]').selectOption("customer");
      await page.locator('input[name="explain-search"]').fill(title);
      await page.getByRole("button", { name: "Find" }).click();
      await page.getByRole("button", { name: title }).click();
      await page.getByRole("button", { name: "Explain" }).click();
      return page.getByTestId("explain-read");
    };
    const inside = await explain("杭州东方贸易");
    await inside.getByText("Can read: yes").waitFor();
    expect(await inside.textContent()).toContain("role east-sales");
    expect(await inside.textContent()).toContain("Department");
    expect(await page.getByTestId("explain-update").textContent()).toContain("Can update: no");
    await screenshot(page, "admin-explain-department");
    const outside = await explain("北京远洋");
    await outside.getByText("Can read: no").waitFor();
    expect(await outside.textContent()).toContain("does not apply");
    await page.close();

    // The explainer's answer is what cy gets: the East China customer, not the other one.
    const cyPage = await newPage("cy");
    await go(cyPage, "data/customer");
    await cyPage.getByTestId("record-list").getByText("杭州东方贸易").waitFor();
    expect(await cyPage.getByTestId("record-list").textContent()).not.toContain("北京远洋");
    expect(await cyPage.locator(".topnav").textContent()).not.toContain("Admin");
    await go(cyPage, "admin/users");
    await cyPage.getByTestId("admin-forbidden").getByText("Only administrators can open this page").waitFor();
    await cyPage.close();
  }, 120_000);

  it("the print view of a record shows labels and values without the navigation", async () => {
    const page = await newPage("ada");
    const list = (await engine.http("/api/data/customer?search=北京远洋")).body.data as Array<{ id: string }>;
    await go(page, `data/customer/${list[0].id}`);
    const href = await page.getByRole("link", { name: "Print" }).getAttribute("href");
    expect(href).toBe(`#/print/customer/${list[0].id}`);
    await go(page, `print/customer/${list[0].id}`);
    const sheet = page.getByTestId("print-sheet");
    await sheet.getByText("北京远洋").first().waitFor();
    expect(await sheet.textContent()).toContain("Credit");
    expect(await page.locator(".topbar").count()).toBe(0);
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("button", { name: "Print" }).isVisible()).toBe(false);
    await screenshot(page, "print-record");
    await page.close();
  }, 60_000);

  it("an admin creates an API token, sees its secret once, and revokes it", async () => {
    const page = await newPage("ada");
    await go(page, "admin/tokens");
    await page.locator('input[name="token-name"]').fill("erp-sync");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("token-secret").locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^kehu_/);
    const asToken = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(((await asToken.json()) as { user: { login: string } }).user.login).toBe("ada");
    const row = page.locator('tr[data-token="erp-sync"]');
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("Revoked").waitFor();
    const revoked = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(revoked.status).toBe(401);
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId("token-secret").count()).toBe(0);
    await page.close();
  }, 60_000);
});
