import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { MemorySystem, memoryConnector } from "../sync/testing/memory-connector";
import { bpEntity, orderEntity } from "../sync/testing/sync-test-bed";
import { defineEntities } from "../testing/define-entities";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";
import type { SyncCliIo } from "./sync.command";

let db: Database;
let system: MemorySystem;
const env = { KEHU_SECRET_KEY: randomBytes(32).toString("base64"), ERP_PASSWORD: "s3cret" };
beforeAll(async () => {
  db = await openTestDatabase();
  const engine = await createEngine(db, createLogger("silent"));
  await defineEntities(engine.ctx, [bpEntity, orderEntity]);
  system = new MemorySystem();
  system.addStream({ name: "partners", primaryKey: ["CardCode"], schema: { type: "object" } });
});
afterAll(() => db.close());

function kehu(...argv: string[]) {
  return kehuWith(env, ...argv);
}

function kehuWith(withEnv: Record<string, string>, ...argv: string[]) {
  const io: SyncCliIo & ReturnType<typeof captureIo> = {
    ...captureIo({ openDatabase: keepOpen(db), env: withEnv }),
    connectors: new Map([["memory", memoryConnector(system)]]),
  };
  return main(argv, io).then((code) => ({ code, out: io.out(), err: io.err() }));
}

/** A package folder whose `sync/` holds these files. */
function syncFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kehu-sync-"));
  mkdirSync(join(dir, "sync"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "sync", name), text);
  return dir;
}

describe("kehu sync", () => {
  it("loads connection and mapping files, keeping environment references for the session", async () => {
    const dir = syncFolder({
      "erp.connection.yaml":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file holds a literal ${ENV} reference
        "name: erp\nconnector: memory\nconfig:\n  baseUrl: http://erp.test\n  password: ${ERP_PASSWORD}\n",
      "accounts.mapping.yaml":
        "name: erp_accounts\nconnection: erp\nstream: partners\nentity: account\ndirection: pull\nkey: {external: [CardCode], entity: code}\nfields:\n  code: CardCode\n  name: CardName\n",
    });
    const res = await kehu("sync", "apply", dir);
    expect(res.err).toBe("");
    expect(res.out).toMatch(/Saved 1 connection\(s\) and 1 mapping\(s\): erp, erp_accounts/);
    const raw = await db.knex.raw("SELECT config::text AS c FROM kehu.sync_connections");
    expect(raw.rows[0].c).not.toContain("ERP_PASSWORD");

    writeFileSync(
      join(dir, "sync", "bad.mapping.yaml"),
      "name: bad\nconnection: erp\nstream: partners\nentity: account\ndirection: pull\nkey: {external: [CardCode]}\nfields: {nope: CardName}\n",
    );
    const bad = await kehu("sync", "apply", dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.mapping\.yaml\/fields\/nope: account has no field "nope"/);

    // A file that is not YAML is named, with the parser's line, in one line per file; nothing is saved.
    writeFileSync(join(dir, "sync", "bad.mapping.yaml"), "name: bad\nfields: {nope: [CardName\n");
    writeFileSync(join(dir, "sync", "worse.mapping.yaml"), "name: worse\nstream: partners\n entity: account\n");
    const unreadable = await kehu("sync", "apply", dir);
    expect(unreadable.code).toBe(1);
    expect(unreadable.err.trim().split("\n")).toEqual([
      expect.stringMatching(/^error: The sync files in .* are not valid; nothing was saved$/),
      expect.stringMatching(/^ {2}bad\.mapping\.yaml: is not valid YAML: .* at line \d+, column \d+$/),
      expect.stringMatching(/^ {2}worse\.mapping\.yaml: is not valid YAML: .* at line 2, column \d+$/),
    ]);
    rmSync(join(dir, "sync", "bad.mapping.yaml"));
    rmSync(join(dir, "sync", "worse.mapping.yaml"));
  });

  it("runs a connection with a progress line per page and exits 1 when records failed", async () => {
    system.upsert("partners", { CardCode: "C1", CardName: "One" });
    system.upsert("partners", { CardCode: "C2", CardName: "Two" });
    system.upsert("partners", { CardCode: "C3", CardName: "Three" });
    const ok = await kehu("sync", "run", "erp");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /^Run [0-9a-f-]{36} succeeded in [\d.]+ s: read 3 · created 3 · updated 0 · unchanged 0 · failed 0 · conflicts 0\n$/,
    );
    expect(ok.err.trim().split("\n")).toEqual([
      "partners pull page 1 · read 2 · created 2 · updated 0 · unchanged 0 · failed 0 · conflicts 0",
      "partners pull page 2 · read 3 · created 3 · updated 0 · unchanged 0 · failed 0 · conflicts 0",
    ]);
    system.upsert("partners", { CardCode: "C4", CardName: null });
    const failed = await kehu("sync", "run", "erp", "--stream", "partners");
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/1 record\(s\) failed and wait in the dead letters/);
    // Said in the ERP's terms: the field the mapping reads is empty.
    expect(failed.err).toMatch(/\n {2}partners C4: name: is required, but CardName is empty\n/);
    const full = await kehu("sync", "run", "erp", "--full");
    expect(full.out).toMatch(/read 4 · created 0 · updated 0 · unchanged 3 · failed 1/);
  });

  it("names the environment variables a connection needs that are not set", async () => {
    const dir = syncFolder({
      "erp2.connection.yaml":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file holds literal ${ENV} references
        "name: erp2\nconnector: memory\nconfig:\n  baseUrl: ${ERP2_URL}\n  password: ${ERP2_PASSWORD}\n",
      "accounts2.mapping.yaml":
        "name: erp2_accounts\nconnection: erp2\nstream: partners\nentity: account\ndirection: pull\nkey: {external: [CardCode]}\nfields:\n  name: CardName\n",
    });
    expect((await kehu("sync", "apply", dir)).code).toBe(0);
    try {
      // At the default log level: the failure is said once, by the command, not again by the runner's log.
      const res = await kehuWith({ ...env, KEHU_LOG_LEVEL: "warn" }, "sync", "run", "erp2");
      expect(res.code).toBe(1);
      expect(res.out).toMatch(/^Run [0-9a-f-]{36} failed in/);
      expect(res.err.trim()).toBe(
        "kehu: the run stopped: The connection names environment variables that are not set: " +
          "environment variable ERP2_URL is not set (/config/baseUrl); " +
          "environment variable ERP2_PASSWORD is not set (/config/password)",
      );
    } finally {
      await db.knex("kehu.sync_runs").where({ connection: "erp2" }).delete();
      await db.knex("kehu.sync_mappings").where({ connection: "erp2" }).delete();
      await db.knex("kehu.sync_connections").where({ name: "erp2" }).delete();
    }
  });

  it("shows the state of each connection, and refuses a bad command line", async () => {
    const status = await kehu("sync", "status");
    expect(status.code).toBe(0);
    expect(status.out).toMatch(
      /^erp \(memory\)\n {2}last run .* succeeded, .*failed 1.*\n {2}open dead letters: 1, open conflicts: 0\n$/,
    );
    expect((await kehu("sync", "run")).code).toBe(2);
    expect((await kehu("sync", "run", "nope")).err).toMatch(/No sync connection "nope"/);
    expect((await kehu("sync", "jump", "x")).err).toMatch(/unknown action "jump"/);
  });

  it("tells of a retried read in one readable line on stderr at the default log level, not in JSON", async () => {
    system.upsert("partners", { CardCode: "C9", CardName: "Nine" });
    system.failReadAfter = 0;
    try {
      const res = await kehuWith({ ...env, KEHU_LOG_LEVEL: "warn" }, "sync", "run", "erp", "--stream", "partners");
      expect(res.out).toMatch(/^Run [0-9a-f-]{36} (succeeded|failed) in/);
      const logLines = res.err.split("\n").filter((line) => line.startsWith("kehu: warning:"));
      expect(logLines).toEqual([
        "kehu: warning: sync read failed; resuming from the last checkpoint (stream=partners attempt=1): connection reset by peer",
      ]);
      expect(res.err).not.toContain("{");
    } finally {
      system.failReadAfter = undefined;
    }
  });
});
