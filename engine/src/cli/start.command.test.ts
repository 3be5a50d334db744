import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
let dir: string;
beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "kehu-start-"));
  mkdirSync(join(dir, "studio", "assets"), { recursive: true });
  writeFileSync(join(dir, "studio", "index.html"), "<!doctype html><title>Kehu studio</title>");
  writeFileSync(join(dir, "studio", "assets", "app-1234.js"), "console.log('studio')");
  writeFileSync(join(dir, "secret.txt"), "not served");
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `kehu start` in-process and returns its URL and how to stop it. */
async function start(env: Record<string, string>, ...argv: string[]) {
  let stop!: (signal: string) => void;
  const io = captureIo({ env, openDatabase: keepOpen(db), waitForShutdown: () => new Promise((r) => (stop = r)) });
  const exit = main(["start", "--port", "0", ...argv], io);
  for (let i = 0; i < 200 && !io.out().includes("Press Ctrl+C"); i++) await new Promise((r) => setTimeout(r, 25));
  const url = /Kehu is running at (http:\/\/\S+) /.exec(io.out())?.[1];
  if (!url) throw new Error(`did not start: ${io.out()} ${io.err()}`);
  return { url, io, exit, stop: (signal = "SIGTERM") => stop(signal) };
}

describe("kehu start", () => {
  it("serves the API and its docs, says where, and stops cleanly on a signal", async () => {
    const s = await start({ KEHU_STUDIO_DIR: join(dir, "no-studio") });
    expect(s.io.out()).toMatch(
      /^Kehu is running at http:\/\/127\.0\.0\.1:\d+ \(API docs: http:\/\/127\.0\.0\.1:\d+\/api\/docs\)$/m,
    );
    expect(s.io.out()).toMatch(/^Database: (PGlite|PostgreSQL)/m);
    expect(s.io.out()).toContain("Studio: not built");
    const spec = await fetch(`${s.url}/api/openapi.json`);
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { info: { title: string } }).info.title).toBe("Kehu API");
    const root = await fetch(`${s.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe(`${s.url}/api/docs`);
    expect((await fetch(`${s.url}/api/nothing`)).headers.get("content-type")).toBe("application/problem+json");
    s.stop("SIGINT");
    expect(await s.exit).toBe(0);
    expect(s.io.out()).toMatch(/Stopping \(SIGINT\)…\nStopped\.\n$/);
    await expect(fetch(`${s.url}/api/openapi.json`)).rejects.toThrow();
  });

  it("serves the built studio at / with a fallback to index.html for client routes", async () => {
    const s = await start({ KEHU_STUDIO_DIR: join(dir, "studio") }, "--host", "127.0.0.1");
    try {
      expect(s.io.out()).toContain(`Studio: ${join(dir, "studio")}`);
      const index = await fetch(`${s.url}/`);
      expect(index.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await index.text()).toContain("Kehu studio");
      const asset = await fetch(`${s.url}/assets/app-1234.js`);
      expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(await (await fetch(`${s.url}/customers/42`)).text()).toContain("Kehu studio");
      expect((await fetch(`${s.url}/missing.png`)).status).toBe(404);
      expect((await fetch(`${s.url}/%2e%2e/secret.txt`)).status).toBe(404);
      expect((await fetch(`${s.url}/api/openapi.json`)).status).toBe(200);
    } finally {
      s.stop();
      expect(await s.exit).toBe(0);
    }
  });
});
