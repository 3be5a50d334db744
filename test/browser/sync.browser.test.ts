import { randomBytes } from "node:crypto";
import type { RunningServer } from "@kehu/engine";
import { createTestUser, type TestEngine } from "@kehu/engine/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemorySystem, memoryConnector } from "../../engine/src/sync/testing/memory-connector";
import { accountMapping, bpEntity } from "../../engine/src/sync/testing/sync-test-bed";
import { browserUnavailable, openRoute, type StudioUnderTest, screenshot, signIn, startStudio } from "./studio-browser";

const skip = browserUnavailable();
const PASSWORD = "sync e2e password";
const str = { type: ["string", "null"] };

describe.skipIf(skip)("the sync monitor in a real browser on a real engine", () => {
  let studio: StudioUnderTest;
  let engine: TestEngine;
  let server: RunningServer;
  const system = new MemorySystem();

  beforeAll(async () => {
    process.env.KEHU_SECRET_KEY ??= randomBytes(32).toString("base64");
    studio = await startStudio([bpEntity]);
    ({ engine, server } = studio);
    system.addStream({
      name: "partners",
      primaryKey: ["CardCode"],
      schema: {
        type: "object",
        properties: {
          CardCode: str,
          CardName: str,
          GroupCode: { type: ["integer", "null"] },
          CreditLimit: { type: ["number", "null"] },
          Currency: str,
          Phone1: str,
          updatedAt: str,
        },
      },
    });
    engine.ctx.connectors = new Map([...(engine.ctx.connectors ?? []), ["memory", memoryConnector(system)]]);
    await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: PASSWORD });
  }, 180_000);
  afterAll(() => studio?.close());

  const go = (page: Page, hash: string) => openRoute(page, server.url, hash);
  const account = async (code: string) =>
    (await engine.http(`/api/data/account?filter=${encodeURIComponent(JSON.stringify({ code: { eq: code } }))}`)).body
      .data[0];

  it("an admin sets up a connection from the connector's spec, runs it live, retries a failure and settles a conflict", async () => {
    const page = await studio.newPage();
    await signIn(page, server.url, "ada", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "en")`);
    await go(page, "sync");
    await page.getByText("No connections yet.").waitFor();
    await page.getByRole("link", { name: "New connection" }).click();
    const form = page.getByTestId("connection-form");
    await form.locator('input[name="connection-name"]').fill("erp");
    await form.locator('select[name="connection-connector"]').selectOption("memory");
    await form.locator("#root_baseUrl").fill("not a url");
    expect(await form.locator("#root_password").getAttribute("type")).toBe("password");
    await form.locator("#root_password").fill("s3cret");
    await form.getByRole("button", { name: "Save connection" }).click();
    await form.locator(".rjsf-field-error #root_baseUrl").waitFor();
    await form.locator("#root_baseUrl").fill("http://erp.test");
    await form.getByRole("button", { name: "Save connection" }).click();
    await page.locator('[data-connection="erp"]').waitFor();
    await page.waitForURL(/#\/sync\/erp$/);
    // The secret is never sent back: the API and the settings form only hold the mask.
    expect((await engine.http("/api/sync/connections/erp")).body.config.password).toBe("********");
    await page.getByText("Settings").click();
    expect(await page.locator("#root_password").inputValue()).toBe("********");
    expect(await page.content()).not.toContain("s3cret");

    await page.getByRole("button", { name: "Check connection" }).click();
    await page.getByTestId("sync-check").getByText("The connection works. Streams: partners").waitFor();
    // Without a default currency, a partner with a credit limit but no currency cannot be stored.
    const strict = {
      ...accountMapping,
      fields: { ...accountMapping.fields, credit: { money: { amount: "CreditLimit", currency: "Currency" } } },
    };
    expect((await engine.http("/api/sync/mappings", { method: "POST", body: strict })).status).toBe(201);

    // A run held inside the ERP shows as running, then its counts arrive live when it goes on.
    system.upsert("partners", { CardCode: "A1", CardName: "华东建材", GroupCode: 100, Phone1: "1" });
    system.upsert("partners", { CardCode: "A2", CardName: "beta", GroupCode: 101 });
    system.upsert("partners", { CardCode: "A3", CardName: "x", Currency: null, CreditLimit: 5 });
    const release = system.hold();
    await page.getByRole("button", { name: "Run now" }).click();
    const runs = page.getByTestId("sync-runs");
    await runs.locator('tr[data-status="running"]').waitFor();
    release();
    const done = runs.locator('tr[data-status="succeeded"]');
    await done.waitFor();
    expect(await done.locator('[data-count="read"]').textContent()).toBe("3");
    expect(await done.locator('[data-count="created"]').textContent()).toBe("2");
    expect(await done.locator('[data-count="failed"]').textContent()).toBe("1");

    // The failed record says why; after the mapping gains a default currency, a retry goes through.
    const failed = page.getByTestId("sync-failed").locator('tr[data-failed="A3"]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain("credit");
    const m = (await engine.http(`/api/sync/mappings/${accountMapping.name}`)).body;
    m.fields.credit = { money: { amount: "CreditLimit", currency: "Currency", defaultCurrency: "EUR" } };
    expect((await engine.http(`/api/sync/mappings/${m.name}`, { method: "PUT", body: m })).status).toBe(200);
    await failed.getByRole("button", { name: "Retry" }).click();
    await page.getByTestId("sync-failed").getByText("Retried: the record went through.").waitFor();
    expect(await failed.count()).toBe(0);
    expect((await account("A3")).name).toBe("x");

    // Both sides change A1's phone: the next run queues a conflict, shown side by side; the ERP's value is kept.
    const a1 = await account("A1");
    await engine.http(`/api/data/account/${a1.id}`, { method: "PATCH", body: { phone: "crm-phone" } });
    system.upsert("partners", { CardCode: "A1", Phone1: "erp-phone" });
    await page.getByRole("button", { name: "Run now" }).click();
    await runs.locator('tr[data-status="succeeded"]').nth(1).waitFor();
    const conflict = page.getByTestId("sync-conflicts").locator('[data-conflict="A1"]');
    await conflict.waitFor();
    expect(await conflict.locator('[data-side="crm"]').textContent()).toBe("crm-phone");
    expect(await conflict.locator('[data-side="erp"]').textContent()).toBe("erp-phone");
    await screenshot(page, "sync-monitor");
    await conflict.getByRole("button", { name: "Keep Memory ERP" }).click();
    await page.getByTestId("sync-conflicts").getByText("Conflict resolved.").waitFor();
    expect((await account("A1")).phone).toBe("erp-phone");
    await page.close();
  }, 120_000);

  it("a run's records show what happened to each one, in Chinese, linked to the CRM record, and a run replays", async () => {
    const page = await studio.newPage();
    await signIn(page, server.url, "ada", PASSWORD);
    await page.evaluate(`localStorage.setItem("kehu.locale.ada", "zh-CN")`);
    await go(page, "sync/erp");
    // The oldest run (the list is newest first) read A1 and A2 and failed A3.
    const first = page.getByTestId("sync-runs").locator("tbody tr").last();
    await first.waitFor();
    expect(await first.locator("[data-streams]").textContent()).toBe("partners");
    await first.getByRole("button", { name: "记录明细" }).click();
    const ledger = page.getByTestId("sync-run-ledger");
    const a3 = ledger.locator('tr[data-entry="A3"]');
    await a3.waitFor();
    expect(await ledger.locator("tbody tr").count()).toBe(3);
    expect(await a3.getAttribute("data-outcome")).toBe("failed");
    expect(await a3.textContent()).toContain("失败");
    expect(await a3.textContent()).toContain("credit");
    await ledger.locator("select").selectOption("created");
    await a3.waitFor({ state: "detached" });
    await expect.poll(() => ledger.locator('tbody tr[data-outcome="created"]').count()).toBe(2);
    expect(await ledger.locator("tbody tr").count()).toBe(2);
    await screenshot(page, "sync-run-ledger");
    await ledger.locator('tr[data-entry="A1"]').getByRole("link").click();
    await page.waitForURL(new RegExp(`#/data/account/${(await account("A1")).id}$`));
    await page.getByText("华东建材").first().waitFor();
    // The record's own sync tab (administrators) lists its passages across runs, newest first.
    await page.getByRole("button", { name: "同步记录" }).click();
    const passages = page.getByTestId("record-sync").locator("tbody tr");
    await passages.first().waitFor();
    const outcomes = await passages.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-outcome")));
    expect(outcomes[0]).toBe("conflict");
    expect(outcomes.at(-1)).toBe("created");
    expect(await passages.first().textContent()).toContain("冲突");
    expect(await passages.first().getByRole("link", { name: "erp" }).getAttribute("href")).toBe("#/sync/erp");

    // "重放" (replay) reads the oldest run's records again from where it started: all three, nothing new.
    await passages.first().getByRole("link", { name: "erp" }).click();
    const rows = page.getByTestId("sync-runs").locator("tbody tr");
    await rows.first().waitFor();
    const runsBefore = await rows.count();
    await rows.last().getByRole("button", { name: "重放" }).click();
    await expect.poll(() => rows.count()).toBe(runsBefore + 1);
    const replay = rows.first();
    await expect.poll(() => replay.getAttribute("data-status"), { timeout: 15_000 }).toBe("succeeded");
    expect(await replay.textContent()).toContain("重放");
    expect(await replay.locator('[data-count="read"]').textContent()).toBe("3");
    expect(await replay.locator('[data-count="created"]').textContent()).toBe("0");
    // Its records: what a pull found unchanged is counted, not listed, and the panel says so.
    const unchanged = await replay.locator('[data-count="unchanged"]').textContent();
    expect(Number(unchanged)).toBeGreaterThan(0);
    await replay.getByRole("button", { name: "记录明细" }).click();
    const note = page.getByTestId("sync-run-ledger").getByTestId("unchanged-not-itemised");
    await note.waitFor();
    expect(await note.textContent()).toContain(`共 ${unchanged} 条未变`);
    await page.close();
  }, 120_000);
});
