import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintenanceEntities } from "../maintenance/maintenance-fixture";
import { createTestUser, defineEntities, startTestEngine } from "../testing";
import type { TestEngine } from "../testing/test-engine";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, maintenanceEntities);
});
afterAll(() => engine?.close());

async function doctor(...args: string[]) {
  const io = captureIo({ openDatabase: keepOpen(engine.ctx.db) });
  const code = await main(["doctor", ...args], io);
  // The first line says which database opens; the report follows.
  return { code, out: io.out().replace(/^Opening .*\n/, ""), err: io.err() };
}
const sql = (text: string, bindings: unknown[] = []) => engine.ctx.db.knex.raw(text, bindings as never[]);
const total = async (code: string) =>
  (await sql("SELECT confirmed_total::text AS t FROM data.customer WHERE code = ?", [code])).rows[0]?.t;

describe("kehu doctor", () => {
  it("says a database built from its metadata is healthy", async () => {
    const { code, out, err } = await doctor();
    expect(err).toBe("");
    expect(out).toMatch(/Healthy: the database matches the metadata\.\n$/);
    expect(code).toBe(0);
  });

  it("reports changes made behind Kehu's back, repairs the safe ones and explains the rest", async () => {
    for (const [name, employees, rating] of [
      ["甲", 12, "4.50"],
      ["乙", 7, "3.25"],
    ] as const)
      await sql("INSERT INTO data.customer (name, code, employees, rating) VALUES (?, ?, ?, ?)", [
        name,
        `C-${name}`,
        employees,
        rating,
      ]);
    const parent = (await sql("SELECT id FROM data.customer WHERE code = 'C-甲'")).rows[0].id;
    await sql("INSERT INTO data.order (customer, amount, status) VALUES (?, 10.50, 'confirmed')", [parent]);
    for (const statement of [
      "ALTER TABLE data.customer ALTER COLUMN employees TYPE text",
      "ALTER TABLE data.customer ALTER COLUMN rating TYPE text",
      "UPDATE data.customer SET rating = 'n/a' WHERE name = '乙'",
      "ALTER TABLE data.customer DROP COLUMN name CASCADE",
      "DROP INDEX data.customer__created_at",
      'DROP TRIGGER "kehu_rollup__customer__confirmed_total__i" ON data."order"',
      'DROP TRIGGER "kehu_autonumber__customer__number" ON data.customer',
      "ALTER TABLE data.customer ADD COLUMN legacy_code text",
      "UPDATE data.customer SET legacy_code = 'OLD-1'",
      "ALTER TABLE data.customer ALTER COLUMN version SET DEFAULT 5",
      "DROP INDEX kehu.audit_log_actor",
      'ALTER TABLE data."order" DROP CONSTRAINT order_pkey',
      "ALTER TABLE data.customer ADD CONSTRAINT few_employees CHECK (length(employees) < 3)",
      `CREATE OR REPLACE FUNCTION kehu.kehu_rollup__customer__confirmed_total() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
    ])
      await sql(statement);
    // Writes while the triggers are missing or wrong: the roll-up and the numbering fall behind.
    await sql("INSERT INTO data.order (customer, amount, status) VALUES (?, 5.25, 'confirmed')", [parent]);
    await sql("INSERT INTO data.customer (code) VALUES ('C-丙')");
    expect(await total("C-甲")).toBe("10.50");

    const found = await doctor();
    expect(found.code).toBe(1);
    const lines = found.out.split("\n");
    const system = lines.indexOf("Kehu system schema:");
    const customer = lines.indexOf("Entity customer:");
    const order = lines.indexOf("Entity order:");
    expect([system >= 0, system < customer, customer < order]).toEqual([true, true, true]);
    for (const line of [
      "  missing_index: index audit_log_actor; expected CREATE INDEX audit_log_actor ON kehu.audit_log USING btree (actor_id, id), found nothing; repairable: create the index",
      "  type_drift: column employees; expected bigint, found text; repairable: change the type back to bigint",
      "  missing_column: column name; expected text, found nothing; repairable: add the column (its values are gone)",
      "  default_drift: column version; expected 1, found 5; repairable: set the default back",
      "  missing_index: index customer__created_at; expected CREATE INDEX customer__created_at ON data.customer USING btree (created_at, id), found nothing; repairable: create the index",
    ])
      expect(lines).toContain(line);
    expect(found.out).toContain(
      '  type_drift: column rating; expected numeric, found text; not every value converts to numeric (invalid input syntax for type numeric: "n/a")\n',
    );
    expect(found.out).toContain(
      "  extra_column: column legacy_code; expected nothing, found text; it holds 2 values; Kehu never drops data: move or drop it yourself",
    );
    expect(found.out).toMatch(/ {2}missing_column: column _search; expected text, generated as \(lower\(/);
    expect(found.out).toMatch(/ {2}missing_index: index customer__search; .*repairable/);
    expect(found.out).toMatch(/ {2}missing_trigger: trigger kehu_autonumber__customer__number; /);
    expect(found.out).toContain(
      "  extra_constraint: constraint few_employees; expected nothing, found CHECK ((length(employees) < 3)); repairable: drop the constraint\n",
    );
    expect(found.out).toContain(
      "  missing_constraint: constraint order_pkey; expected PRIMARY KEY (id), found nothing; repairable: create the constraint\n",
    );
    expect(found.out).toMatch(/ {2}routine_drift: routine kehu\.kehu_rollup__customer__confirmed_total\(\); /);
    expect(lines.slice(order)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}missing_trigger: trigger kehu_rollup__customer__confirmed_total__i; /),
      ]),
    );
    expect(found.out).toMatch(/Drift: 14 findings; 12 can be repaired with `kehu doctor --repair`\.\n$/);

    const api = await engine.http("/api/admin/doctor");
    expect(api.status).toBe(200);
    expect(api.body.healthy).toBe(false);
    expect(api.body.findings).toContainEqual({
      kind: "type_drift",
      entity: "customer",
      object: "column employees",
      severity: "drift",
      expected: "bigint",
      actual: "text",
      repairable: true,
      repair: "change the type back to bigint",
      reason: null,
    });
    const clerk = await createTestUser(engine.ctx, { login: "clerk" });
    expect((await engine.http("/api/admin/doctor", { as: clerk.token })).status).toBe(403);

    const repaired = await doctor("--repair");
    expect(repaired.code).toBe(1);
    expect(repaired.out).toMatch(/^Repaired 12:\n/);
    expect(repaired.out).toContain("  customer: type_drift column employees (change the type back to bigint)\n");
    expect(repaired.out).toContain(
      "Entity customer:\n  type_drift: column rating; expected numeric, found text; not every value",
    );
    expect(repaired.out).toMatch(/Drift: 2 findings\.\n$/);
    const rows = await sql("SELECT code, employees, number, name FROM data.customer ORDER BY code");
    expect(rows.rows).toEqual([
      { code: "C-丙", employees: null, number: expect.stringMatching(/^C-\d{4}-0003$/), name: null },
      { code: "C-乙", employees: 7, number: expect.stringMatching(/^C-\d{4}-0002$/), name: null },
      { code: "C-甲", employees: 12, number: expect.stringMatching(/^C-\d{4}-0001$/), name: null },
    ]);
    expect(await total("C-甲")).toBe("15.75");

    // What only a person can decide, decided: then the doctor finds nothing.
    await sql("UPDATE data.customer SET rating = NULL WHERE rating = 'n/a'");
    await sql("ALTER TABLE data.customer DROP COLUMN legacy_code");
    const last = await doctor("--repair");
    expect(last.out).toBe(
      "Repaired 1:\n  customer: type_drift column rating (change the type back to numeric)\nHealthy: the database matches the metadata.\n",
    );
    expect(last.code).toBe(0);
    expect((await sql("SELECT rating::text AS r FROM data.customer WHERE code = 'C-甲'")).rows[0].r).toBe("4.50");
    const json = await doctor("--json");
    expect(JSON.parse(json.out)).toEqual({ healthy: true, findings: [], repaired: [], failed: [] });
  }, 180_000);

  it("re-creates a dropped entity table, and reports tables and system steps it cannot account for", async () => {
    await defineEntities(engine.ctx, [{ name: "memo", fields: [{ name: "body", type: "text" }] }]);
    await sql("DROP TABLE data.memo");
    await sql("CREATE TABLE data.scratch (id int)");
    await sql("DELETE FROM kehu.system_migrations WHERE id = 5");
    await sql("INSERT INTO kehu.system_migrations (id, name) VALUES (9001, 'from a newer Kehu')");
    const found = await doctor();
    expect(found.code).toBe(1);
    expect(found.out).toContain(
      "Kehu system schema:\n  missing_system_step: system step 5; run `kehu migrate`\n  unknown_system_step: system step 9001; a newer Kehu migrated this database; run that version\n",
    );
    expect(found.out).toContain(
      "Entity memo:\n  missing_table: table data.memo; repairable: create the table from its definition",
    );
    expect(found.out).toContain(
      "Entity scratch:\n  extra_table: table data.scratch; no definition describes it; apply one, or drop the table yourself\n",
    );

    const repaired = await doctor("--repair");
    expect(repaired.out).toContain(
      "  memo: missing_table table data.memo (create the table from its definition (its rows are gone))\n",
    );
    expect(repaired.out).not.toContain("Entity memo:");
    expect(repaired.out).toMatch(/Drift: 3 findings\.\n$/);
    await sql("INSERT INTO data.memo (body) VALUES ('写得进去')");
    expect((await sql("SELECT body FROM data.memo")).rows).toEqual([{ body: "写得进去" }]);

    await sql("DROP TABLE data.scratch");
    await sql("DELETE FROM kehu.system_migrations WHERE id = 9001");
    await sql("INSERT INTO kehu.system_migrations (id, name) VALUES (5, 'autonumber counters')");
    expect((await doctor()).code).toBe(0);
  }, 180_000);
});
