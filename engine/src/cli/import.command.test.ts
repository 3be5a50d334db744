import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { defineEntities } from "../testing/define-entities";
import { sampleCustomer } from "../testing/sample-entities";
import { openTestDatabase } from "../testing/test-database";
import { createTestDepartment, createTestRole, createTestUser } from "../testing/test-users";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
let engine: Engine;
let dir: string;
beforeAll(async () => {
  db = await openTestDatabase();
  engine = await createEngine(db, createLogger("silent"));
  await defineEntities(engine.ctx, [sampleCustomer]);
  dir = mkdtempSync(join(tmpdir(), "kehu-import-"));
});
afterAll(async () => {
  await engine?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (...argv: string[]) => {
  const io = captureIo({ openDatabase: keepOpen(db), cwd: dir });
  const code = await main(["import", ...argv], io);
  return { code, out: io.out(), err: io.err() };
};

describe("kehu import", () => {
  it("imports the good rows, prints the summary and the first errors, writes the full report, exits 1", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `Firma ${i},C${i},${i % 2 ? "gold" : "bronze"}`);
    writeFileSync(join(dir, "in.csv"), ["Kunde,code,tier", ...rows].join("\n"));
    const res = await run("customer", "in.csv", "--mode", "skip-invalid", "--map", "Kunde=name", "--report", "r.csv");
    expect(res.code).toBe(1);
    expect(res.out).toContain("Imported in.csv into customer: 15 created, 0 updated, 15 rows with errors");
    expect(res.err).toContain('  row 2, column "tier": "bronze" is not one of: gold, potential, general');
    expect(res.err).toMatch(/^\s*\d+% 30 rows, [\d,]+ rows\/s$/m);
    const report = readFileSync(join(dir, "r.csv"), "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(report).toHaveLength(16);
    expect(report[1]).toBe('2,tier,tier,"""bronze"" is not one of: gold, potential, general"');
    expect(Number((await db.knex("data.customer").count({ n: "*" }))[0].n)).toBe(15);
  });

  it("shows only 20 errors without --report; all-or-nothing writes nothing; a clean file exits 0", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `,Z${i}`);
    writeFileSync(join(dir, "bad.csv"), ["name,code", ...rows].join("\n"));
    const bad = await run("customer", "bad.csv");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("Nothing was imported into customer: 25 rows of bad.csv are not valid");
    expect(bad.err).toContain("… and 5 more; write them all with --report <file>");
    writeFileSync(join(dir, "ok.csv"), "name,code\nOk,OK1\n");
    const dry = await run("customer", "ok.csv", "--dry-run");
    expect(dry.out).toContain("Dry run of ok.csv into customer: would be 1 created");
    const ok = await run("customer", "ok.csv");
    expect(ok.code).toBe(0);
    expect(Number((await db.knex("data.customer").where({ code: "OK1" }).count({ n: "*" }))[0].n)).toBe(1);
  });

  it("runs as another user with --as: their scope, their name and channel import in the audit trail", async () => {
    const dept = await createTestDepartment(engine.ctx, { name: "Sales" });
    const role = await createTestRole(engine.ctx, {
      name: "importer",
      permissions: { customer: { create: "all", read: "department", update: "department" } },
    });
    await createTestUser(engine.ctx, { login: "li.na", departmentId: dept.id, roleIds: [role.id] });
    writeFileSync(join(dir, "as.csv"), "name,code\nAs User,AS1\n");
    const res = await run("customer", "as.csv", "--as", "li.na");
    expect(res.code).toBe(0);
    const record = await db.knex("data.customer").where({ code: "AS1" }).first();
    expect(record.department_id).toBe(dept.id);
    const audit = await db.knex("kehu.audit_log").where({ record_id: record.id }).first();
    expect(audit).toMatchObject({ actor_login: "li.na", channel: "import", action: "create" });
    expect((await run("customer", "as.csv", "--as", "nobody")).err).toContain('No active user "nobody"');
    expect((await run("customer", "as.csv", "--mode", "sometimes")).code).toBe(2);
  });
});
