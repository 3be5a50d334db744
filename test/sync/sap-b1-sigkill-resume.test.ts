import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "../../connectors/sap-b1/simulator/index";
import { createEngine, type Engine } from "../../engine/src/create-engine";
import { createLogger } from "../../engine/src/logger";
import { type Database, openDatabase } from "../../engine/src/storage/database";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { loadSecretBox } from "../../engine/src/sync/secret-box";
import { syncServicesOf } from "../../engine/src/sync/sync-services";
import { defineEntities } from "../../engine/src/testing/define-entities";
import { openTestDatabase } from "../../engine/src/testing/test-database";
import { expectCleanResume } from "./resume-checks";
import { sapEntities, sapMappings, simConnection } from "./sap-b1-bed";

const ITEMS = 400;
const here = fileURLToPath(new URL(".", import.meta.url));
const env: NodeJS.ProcessEnv = { ...process.env, KEHU_SECRET_KEY: randomBytes(32).toString("base64") };
let dir: string;
let testDb: Database | undefined;
let sim: SapB1Simulator;

/** The database the child also opens: a PGlite data dir (one owner at a time), or the test's PostgreSQL database. */
async function open(): Promise<Engine> {
  const db = testDb
    ? { ...testDb, close: async () => {} }
    : await openDatabase({ backend: "pglite", dataDir: join(dir, "data") });
  return createEngine(db, createLogger("silent"));
}

const services = (engine: Engine) => syncServicesOf(engine.ctx, { secrets: loadSecretBox(env, dir) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kehu-sap-kill-"));
  // Slow enough (15 ms a request, 20 items a page) that the kill lands mid-run.
  sim = await startSapB1Simulator({
    seed: "demo",
    sizes: { partners: 5, items: ITEMS, orders: 0, invoices: 0, payments: 0 },
    faults: { latencyMs: 15 },
  });
  if (process.env.DATABASE_URL) {
    testDb = await openTestDatabase();
    env.KILL_DATABASE_URL = (
      testDb.knex.client as { config: { connection: { connectionString: string } } }
    ).config.connection.connectionString;
  } else env.KILL_DATA_DIR = join(dir, "data");
  const engine = await open();
  await defineEntities(
    engine.ctx,
    sapEntities.filter((e) => e.name === "item"),
  );
  const s = services(engine);
  await saveConnection(s, simConnection(sim, { pageSize: 20 }));
  await saveMapping(s.knex, s.registry, sapMappings.find((m) => m.name === "sap_items")!);
  await engine.close();
}, 120_000);
afterAll(async () => {
  await testDb?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a sync process pulling from SAP B1, killed with SIGKILL", () => {
  it("resumes from its last checkpoint: nothing imported twice, nothing skipped", async () => {
    // node itself (not the tsx wrapper, which would leave its own child running after the kill)
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "sap-sync-child.ts")], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    let out = "";
    child.stderr!.on("data", (c) => (err += c));
    await new Promise<void>((resolve) => {
      child.stdout!.on("data", (chunk) => {
        out += chunk;
        if (/^page 6 /m.test(out)) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    expect(err).toBe("");
    expect(out).not.toMatch(/done/);

    const engine = await open();
    try {
      const knex = engine.ctx.db.knex;
      const [{ n: before }] = await knex("data.item").count({ n: "*" });
      // Six pages committed (a re-queried page repeats its first row, so 19 new ones each).
      expect(Number(before)).toBeGreaterThanOrEqual(6 * 19);
      expect(Number(before)).toBeLessThan(ITEMS);
      const checkpoint = await knex("kehu.sync_stream_state").where({ connection: "sap", stream: "items" }).first();
      expect(checkpoint).toBeDefined();

      const run = await runSync(services(engine), { connection: "sap" });
      expect(run).toMatchObject({ status: "succeeded", failed: 0, created: ITEMS - Number(before) });
      // Only the overlap window around the checkpoint is read again, and found unchanged.
      expect(run.read - run.created).toBe(run.unchanged);
      expect(run.read).toBeLessThan(ITEMS);
      const items = await knex("data.item").select("code", "name");
      expect(items.map((i) => [i.code, i.name]).sort()).toEqual(
        sim.store
          .list("Items")
          .map((i) => [i.ItemCode, i.ItemName])
          .sort(),
      );
      await expectCleanResume(knex, run.id);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
