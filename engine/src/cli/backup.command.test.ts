import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import knexFactory from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import { maintenanceEntities } from "../maintenance/maintenance-fixture";
import { dumpTables } from "../maintenance/table-dump";
import { type Database, openDatabase } from "../storage/database";
import {
  createTestDepartment,
  createTestRole,
  defineEntities,
  openTestDatabase,
  startTestEngine,
  testBackend,
} from "../testing";
import type { TestEngine } from "../testing/test-engine";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

const VOLATILE = ["kehu.sessions", "kehu.login_failures", "kehu.system_migrations"];

let source: TestEngine;
const targets: Database[] = [];
let dir: string;
beforeAll(async () => {
  source = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), "kehu-backup-"));
});
afterAll(async () => {
  await Promise.all([source?.close(), ...targets.map((t) => t.close())]);
  rmSync(dir, { recursive: true, force: true });
});

async function kehu(db: Database, ...argv: string[]) {
  const io = captureIo({ cwd: dir, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
async function freshTarget(): Promise<Database> {
  const db = await openTestDatabase();
  targets.push(db);
  return db;
}

async function fillSource(): Promise<void> {
  await defineEntities(source.ctx, maintenanceEntities);
  const dept = await createTestDepartment(source.ctx, { name: "华东销售部", code: "east" });
  await createTestRole(source.ctx, { name: "sales", permissions: { customer: { read: "department" } } });
  await source.ctx.db.knex("kehu.users").where({ id: source.admin.id }).update({ department_id: dept.id });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await source.http("/api/data/customer", {
      method: "POST",
      body: {
        name: `建材客户 ${i} "quoted", \\ back`,
        code: `C${i}`,
        employees: 10 * i,
        rating: "4.50",
        credit: { amount: "12000.50", currency: "CNY" },
        tags: ["vip", "new"],
        extra: { nested: { list: [1, "二", null], big: "12345678901234567890.000001" } },
      },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  for (let i = 0; i < 6; i++) {
    const res = await source.http("/api/data/order", {
      method: "POST",
      body: { customer: ids[i % 2], amount: `${100 + i}.25`, status: i % 3 ? "confirmed" : "draft" },
    });
    expect(res.status).toBe(201);
  }
  const patched = await source.http(`/api/data/customer/${ids[3]}`, {
    method: "PATCH",
    body: { employees: 7 },
    headers: { "if-match": "1" },
  });
  expect(patched.status).toBe(200);
  expect((await source.http(`/api/data/customer/${ids[2]}`, { method: "DELETE" })).status).toBe(200);
}

describe("kehu backup and kehu restore", () => {
  let before: Record<string, string[]>;

  it("backs up, and a fresh database restored from it holds every row, revision, counter and audit row", async () => {
    await fillSource();
    before = await dumpTables(source.ctx.db.knex, VOLATILE);
    expect(before["kehu.audit_log"].length).toBeGreaterThan(10);
    expect(before["kehu.autonumber_counters"]).toHaveLength(1);
    const backup = await kehu(source.ctx.db, "backup", "snap.kehu.gz");
    expect(backup.err).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/ {2}data\.order: 6 rows\n/);
    expect(backup.out).toMatch(/Backed up \d+ tables, \d+ rows to snap\.kehu\.gz\.\n$/);

    // Change and delete data and metadata on the source: the backup must not follow.
    const knex = source.ctx.db.knex;
    await source.http(`/api/data/order/${(await knex("data.order").first("id")).id}`, { method: "DELETE" });
    await knex("data.customer").update({ name: "changed" });
    const [customer, order] = maintenanceEntities;
    await defineEntities(source.ctx, [
      { ...customer, fields: [...customer.fields, { name: "memo", type: "text" }] },
      order,
    ]);
    expect(await dumpTables(knex, VOLATILE)).not.toEqual(before);

    const target = await freshTarget();
    const restored = await kehu(target, "restore", "snap.kehu.gz");
    expect(restored.err).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.out).toContain("created 2 entity tables from their definitions\n");
    expect(restored.out).toMatch(/Restored \d+ tables, \d+ rows from snap\.kehu\.gz\.\n$/);
    const after = await dumpTables(target.knex, VOLATILE);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before))
      expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    expect(await target.knex("kehu.system_migrations").pluck("id")).toEqual(
      await knex("kehu.system_migrations").pluck("id"),
    );

    // The restored database works on: new rows take the next ids and numbers, roll-ups keep counting, doctor is happy.
    const engine = await createEngine({ ...target, close: async () => {} }, createLogger("silent"));
    expect(engine.ctx.registry.require("customer").fields.map((f) => f.name)).not.toContain("memo");
    const maxAudit = Number((await target.knex("kehu.audit_log").max("id as m").first())?.m);
    const maxRevision = Number((await target.knex("kehu.revisions").max("id as m").first())?.m);
    await defineEntities(engine.ctx, [
      { ...customer, fields: [...customer.fields, { name: "memo", type: "text" }] },
      order,
    ]);
    expect(Number((await target.knex("kehu.revisions").max("id as m").first())?.m)).toBe(maxRevision + 1);
    await target.knex.raw(
      "INSERT INTO kehu.audit_log (actor_login, channel, entity, action) VALUES ('test', 'system', 'customer', 'note')",
    );
    expect(Number((await target.knex("kehu.audit_log").max("id as m").first())?.m)).toBe(maxAudit + 1);
    const parent = await target.knex("data.customer").where({ code: "C0" }).first("id", "confirmed_total");
    await target.knex("data.order").insert({ customer: parent.id, amount: "1.00", status: "confirmed" });
    const { rows } = await target.knex.raw("SELECT confirmed_total::text AS t FROM data.customer WHERE id = ?", [
      parent.id,
    ]);
    expect(rows[0].t).toBe((Number(parent.confirmed_total) + 1).toFixed(2));
    await target.knex("data.customer").insert({ name: "new" });
    const numbers = (await target.knex("data.customer").orderBy("number").pluck("number")) as string[];
    expect(numbers.at(-1)).toMatch(/-0005$/);
    const doctor = await kehu(target, "doctor");
    expect(doctor.out).toContain("Healthy");
    expect(doctor.code).toBe(0);
  }, 180_000);

  it("refuses a target that holds Kehu data, changing nothing", async () => {
    const target = targets[0];
    const rowsBefore = await dumpTables(target.knex, VOLATILE);
    const again = await kehu(target, "restore", "snap.kehu.gz");
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /^error: The target database is not empty \(it has 2 entity tables, 2 entity definitions, \d+ users?, \d+ revisions, \d+ audit rows\); restore into a new database/,
    );
    expect(await dumpTables(target.knex, VOLATILE)).toEqual(rowsBefore);
  });

  it("refuses an incompatible or damaged file with a clear message, restoring nothing", async () => {
    const lines = readFileSync(join(dir, "snap.kehu.gz"));
    const text = (await import("node:zlib")).gunzipSync(lines).toString("utf8").split("\n");
    const header = JSON.parse(text[0]);
    const write = (name: string, first: object, rest = text.slice(1)) =>
      writeFileSync(join(dir, name), gzipSync([JSON.stringify(first), ...rest].join("\n")));
    write("future-format.gz", { ...header, formatVersion: 9, engineVersion: "9.0.0" });
    write("future-steps.gz", { ...header, systemSteps: [...header.systemSteps, 9001], engineVersion: "9.1.0" });
    write("cut.gz", header, text.slice(1, -3));
    writeFileSync(join(dir, "not-a-backup.gz"), gzipSync("name,code\n"));
    const target = await freshTarget();
    const empty = await dumpTables(target.knex, VOLATILE);

    const format = await kehu(target, "restore", "future-format.gz");
    expect(format.code).toBe(1);
    expect(format.err).toMatch(
      /has backup format version 9 \(written by Kehu 9\.0\.0\); this Kehu reads version 1 only\n$/,
    );
    const steps = await kehu(target, "restore", "future-steps.gz");
    expect(steps.code).toBe(1);
    expect(steps.err).toMatch(
      /made by Kehu 9\.1\.0, whose system schema has step 9001 that this Kehu \([^)]+\) does not have; restore it with Kehu 9\.1\.0 or newer\n$/,
    );
    const cut = await kehu(target, "restore", "cut.gz");
    expect(cut.code).toBe(1);
    expect(cut.err).toContain("cut.gz is incomplete");
    writeFileSync(join(dir, "half.gz"), lines.subarray(0, Math.floor(lines.length / 2)));
    const half = await kehu(target, "restore", "half.gz");
    expect(half.code).toBe(1);
    expect(half.err).toMatch(
      /^error: \S+half\.gz is damaged or no gzip file \(unexpected end of file\); nothing was restored\n$/,
    );
    const missing = await kehu(target, "restore", "missing.gz");
    expect([missing.code, missing.err]).toEqual([1, "error: There is no file missing.gz\n"]);
    const nowhere = await kehu(target, "backup", "no/such/folder/x.gz");
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(
      /^error: There is no folder .*no\/such\/folder to write no\/such\/folder\/x\.gz into\n$/,
    );
    const junk = await kehu(target, "restore", "not-a-backup.gz");
    expect(junk.err).toContain("not-a-backup.gz is not a Kehu backup");
    expect(await dumpTables(target.knex, VOLATILE)).toEqual(empty);
  }, 90_000);

  it.runIf(testBackend === "postgres")(
    "restores as the database's owner without superuser rights, foreign keys checked at the end",
    async () => {
      const server = process.env.DATABASE_URL as string;
      const name = `kehu_owner_${randomBytes(4).toString("hex")}`;
      const admin = knexFactory({ client: "pg", connection: server, pool: { min: 0, max: 1 } });
      await admin.raw(`CREATE ROLE ${name} LOGIN NOSUPERUSER`);
      await admin.raw(`CREATE DATABASE ${name} OWNER ${name}`);
      const url = new URL(server);
      url.username = name;
      url.pathname = `/${name}`;
      const owned = await openDatabase({ backend: "postgres", url: url.toString(), poolSize: 2 });
      try {
        const restored = await kehu(owned, "restore", "snap.kehu.gz");
        expect(restored.err).toBe("");
        expect(restored.code).toBe(0);
        expect(await dumpTables(owned.knex, VOLATILE)).toEqual(before);
        // Triggers and foreign keys are back: the audit log refuses changes, a user needs a real department.
        await expect(owned.knex("kehu.audit_log").delete()).rejects.toThrow(/append-only/);
        await expect(
          owned.knex("kehu.users").update({ department_id: "00000000-0000-0000-0000-000000000000" }),
        ).rejects.toThrow(/foreign key/);
        expect((await kehu(owned, "doctor")).out).toContain("Healthy");
      } finally {
        await owned.close();
        await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.raw(`DROP ROLE IF EXISTS ${name}`);
        await admin.destroy();
      }
    },
    120_000,
  );

  it.runIf(testBackend === "postgres")(
    "restores a backup of an embedded PGlite onto PostgreSQL",
    async () => {
      const lite = await openDatabase({ backend: "pglite" });
      try {
        const engine = await createEngine({ ...lite, close: async () => {} }, createLogger("silent"));
        await defineEntities(engine.ctx, maintenanceEntities);
        await lite.knex.raw(
          `INSERT INTO data.customer (name, rating, credit, credit__currency, tags, extra)
         SELECT '客户 ' || g, (g || '.05')::numeric, 0.000001, 'CNY', ARRAY['vip'], jsonb_build_object('g', g)
         FROM generate_series(1, 1200) AS g`,
        );
        const parents: string[] = await lite.knex("data.customer").orderBy("number").limit(3).pluck("id");
        for (const id of parents)
          await lite.knex("data.order").insert({ customer: id, amount: "2.50", status: "confirmed" });
        const before = await dumpTables(lite.knex, VOLATILE);
        expect(before["data.customer"]).toHaveLength(1200);
        expect((await kehu(lite, "backup", "lite.kehu.gz")).code).toBe(0);
        const target = await freshTarget();
        const restored = await kehu(target, "restore", "lite.kehu.gz");
        expect(restored.err).toBe("");
        expect(restored.out).toContain("Backup of ");
        expect(restored.out).toContain(" on PGlite: ");
        expect(await dumpTables(target.knex, VOLATILE)).toEqual(before);
      } finally {
        await lite.close();
      }
    },
    180_000,
  );
});
