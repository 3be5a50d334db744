import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../engine/src/create-engine";
import { createLogger } from "../../engine/src/logger";
import { type Database, openDatabase } from "../../engine/src/storage/database";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { loadSecretBox } from "../../engine/src/sync/secret-box";
import { syncServicesOf } from "../../engine/src/sync/sync-services";
import { bpEntity } from "../../engine/src/sync/testing/sync-test-bed";
import { defineEntities } from "../../engine/src/testing/define-entities";
import { openTestDatabase } from "../../engine/src/testing/test-database";
import { killFixture, killMapping, RECORDS } from "./kill-fixture";
import { expectCleanResume } from "./resume-checks";

const here = fileURLToPath(new URL(".", import.meta.url));
const env: NodeJS.ProcessEnv = { ...process.env, KEHU_SECRET_KEY: randomBytes(32).toString("base64") };
let dir: string;
let testDb: Database | undefined;

/** Opens the database the child also opens: a PGlite data dir (one owner at a time), or the test's PostgreSQL database. */
async function open(): Promise<Engine> {
  const db = testDb
    ? { ...testDb, close: async () => {} }
    : await openDatabase({ backend: "pglite", dataDir: join(dir, "data") });
  return createEngine(db, createLogger("silent"));
}

function services(engine: Engine) {
  return syncServicesOf(engine.ctx, { connectors: killFixture().connectors, secrets: loadSecretBox(env, dir) });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kehu-kill-"));
  if (process.env.DATABASE_URL) {
    testDb = await openTestDatabase();
    env.KILL_DATABASE_URL = (
      testDb.knex.client as { config: { connection: { connectionString: string } } }
    ).config.connection.connectionString;
  } else env.KILL_DATA_DIR = join(dir, "data");
  const engine = await open();
  await defineEntities(engine.ctx, [bpEntity]);
  const s = services(engine);
  await saveConnection(s, {
    name: "erp",
    connector: "memory",
    config: { baseUrl: "http://erp.test", password: "s3cret" },
  });
  await saveMapping(s.knex, s.registry, killMapping);
  await engine.close();
}, 120_000);
afterAll(async () => {
  await testDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

function killAfterPage(child: ChildProcess, page: number): Promise<string> {
  let out = "";
  return new Promise((resolve) => {
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (new RegExp(`^page ${page} `, "m").test(out)) child.kill("SIGKILL");
    });
    child.on("exit", () => resolve(out));
  });
}

describe("a sync process killed with SIGKILL", () => {
  it("resumes from its last checkpoint: nothing imported twice, nothing skipped", async () => {
    // node itself (not the tsx wrapper, which would leave its own child running after the kill)
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "sync-child.ts")], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (c) => (err += c));
    const out = await killAfterPage(child, 4);
    expect(err).toBe("");
    expect(out).not.toMatch(/done/);

    const engine = await open();
    try {
      const knex = engine.ctx.db.knex;
      const [{ n: before }] = await knex("data.account").count({ n: "*" });
      expect(Number(before)).toBeGreaterThanOrEqual(40);
      expect(Number(before)).toBeLessThan(RECORDS);
      const run = await runSync(services(engine), { connection: "erp" });
      expect(run).toMatchObject({ status: "succeeded", failed: 0, created: RECORDS - Number(before) });
      const [{ n }] = await knex("data.account").count({ n: "*" });
      expect(Number(n)).toBe(RECORDS);
      await expectCleanResume(knex, run.id);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
