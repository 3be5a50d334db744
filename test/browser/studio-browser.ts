import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listen, type RunningServer } from "@kehu/engine";
import { defineEntities, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { studioHandler } from "../../engine/src/cli/studio-static";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CHROMIUM = process.env.KEHU_CHROMIUM ?? "/usr/bin/chromium";
/** Screenshots of every browser test land here (gitignored). */
export const OUTPUT_DIR = join(ROOT, "test/browser/output");

/** Why the browser tests cannot run here, or undefined when they can; under CI a missing browser is a failure. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`Browser tests need Chromium under CI: ${reason}`);
  console.warn(`Skipping the studio browser tests: ${reason}`);
  return reason;
}

/** Builds studio/dist when it is missing or older than its sources (once per run in practice). */
export function buildStudio(): string {
  const result = spawnSync("node", [join(ROOT, "scripts/build-studio.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`The studio build failed:\n${result.stdout}\n${result.stderr}`);
  return join(ROOT, "studio/dist");
}

/** The engine's API and the built studio on one origin, as `kehu start` serves them. */
export function serveStudio(engine: TestEngine, dist: string): Promise<RunningServer> {
  const studio = studioHandler(dist);
  return listen({
    fetch: (request: Request) => {
      const path = new URL(request.url).pathname;
      return path === "/api" || path.startsWith("/api/") ? engine.app.fetch(request) : studio(request);
    },
  });
}

/** A headless Chromium with a fresh profile; the flags keep it off the network beyond the test server. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "kehu-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under the test output folder; the backend is in the name. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = join(OUTPUT_DIR, `${name}-${process.env.DATABASE_URL ? "postgres" : "pglite"}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in on the login page. */
export async function signIn(page: Page, url: string, login: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector(".topbar");
}

/** A new page of `studio` signed in as `login`, with the studio's language for that login set (English by default). */
export async function signedInPage(
  studio: StudioUnderTest,
  login: string,
  password: string,
  locale = "en",
): Promise<Page> {
  const page = await studio.newPage();
  await signIn(page, studio.server.url, login, password);
  await page.evaluate(`localStorage.setItem("kehu.locale.${login}", "${locale}")`);
  return page;
}

/** Opens a studio route (`inbox`, `workflows/...`) and reloads, so the page starts from it with the saved language. */
export async function openRoute(page: Page, url: string, hash: string): Promise<void> {
  await page.goto(`${url}/#/${hash}`);
  await page.reload();
}

/** A fresh engine with `entities`, serving the built studio; every page opens in its own browser profile. */
export interface StudioUnderTest {
  engine: TestEngine;
  server: RunningServer;
  /** A page in a new profile (no cookie or saved locale carries over), logging the studio's uncaught errors. */
  newPage(): Promise<Page>;
  /** Closes the browsers, the server and the engine. */
  close(): Promise<void>;
}

export async function startStudio(entities: Parameters<typeof defineEntities>[1]): Promise<StudioUnderTest> {
  const dist = buildStudio();
  const engine = await startTestEngine();
  await defineEntities(engine.ctx, entities);
  const server = await serveStudio(engine, dist);
  const browsers: Array<{ close(): Promise<void> }> = [];
  return {
    engine,
    server,
    async newPage() {
      const browser = await openBrowser();
      browsers.push(browser);
      const page = await browser.context.newPage();
      page.setDefaultTimeout(10_000);
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      return page;
    },
    async close() {
      for (const b of browsers) await b.close();
      await server.close();
      await engine.close();
    },
  };
}
