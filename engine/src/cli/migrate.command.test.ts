import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import knexFactory from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackend } from "../testing/test-database";
import { captureIo } from "./capture-io";
import { main } from "./main";

// The real opening path: a new PGlite data dir, or a new database on the PostgreSQL server of DATABASE_URL.
let env: Record<string, string>;
let cleanup: () => Promise<void>;
let dataDir: string | undefined;
beforeAll(async () => {
  if (testBackend === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "kehu-migrate-"));
    dataDir = join(dir, "data");
    env = { KEHU_DATA_DIR: dataDir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    return;
  }
  const server = process.env.DATABASE_URL!;
  const name = `kehu_migrate_${randomBytes(4).toString("hex")}`;
  const admin = () => knexFactory({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
  const k = admin();
  await k.raw(`CREATE DATABASE ${name}`).finally(() => k.destroy());
  const url = new URL(server);
  url.pathname = `/${name}`;
  env = { DATABASE_URL: url.toString() };
  cleanup = async () => {
    const d = admin();
    await d.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => d.destroy());
  };
});
afterAll(() => cleanup?.());

describe("kehu migrate", () => {
  it("applies the system steps of a new database, then says it is up to date", async () => {
    const first = captureIo({ env });
    expect(await main(["migrate"], first)).toBe(0);
    expect(first.err()).toBe("");
    expect(first.out()).toContain("  applied 1: metadata and revisions\n");
    expect(first.out()).toMatch(/Applied \d+ system migration steps?\.\n$/);

    const second = captureIo({ env });
    expect(await main(["migrate"], second)).toBe(0);
    expect(second.out()).toMatch(/Kehu's system schema is up to date \(\d+ steps? applied earlier\)\.\n$/);
    if (dataDir) expect(existsSync(join(dataDir, "kehu.lock"))).toBe(false);
  }, 120_000); // two fresh embedded databases, started one after the other

  it("takes no arguments", async () => {
    const io = captureIo({ env });
    expect(await main(["migrate", "now"], io)).toBe(2);
    expect(io.err()).toBe('kehu: unexpected argument "now"\nUsage: kehu migrate\n');
  });
});
