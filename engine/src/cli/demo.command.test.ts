import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { demoCommand } from "./demo.command";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe("kehu demo", () => {
  it("applies the building-materials template, seeds it once, and serves it", async () => {
    const run = () => {
      const io = captureIo({ openDatabase: keepOpen(db), waitForShutdown: async () => "test" });
      return demoCommand.run(["--port", "0"], io).then((code) => ({ code, io }));
    };
    const first = await run();
    expect(first.code).toBe(0);
    const served = first.io.out();
    expect(served).toMatch(/Seeded .*60 customer, .*220 lead, 180 opportunity, .*36 contract, .*106 settlement_plan/);
    expect(served).toMatch(/Kehu is running at http:\/\/127\.0\.0\.1:\d+/);
    const second = await run();
    expect(second.io.out()).toMatch(/Seed data already loaded\./);
    const { rows } = await db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
    expect(rows[0].n).toBe(60);
    // The organisation, its roles and demo users came with it, and every customer belongs to a department.
    const org = await db.knex.raw(
      "SELECT (SELECT count(*)::int FROM kehu.departments) AS d, (SELECT count(*)::int FROM kehu.roles) AS r, (SELECT count(*)::int FROM kehu.users) AS u, (SELECT count(*)::int FROM data.customer WHERE department_id IS NULL) AS orphans",
    );
    expect(org.rows[0]).toEqual({ d: 17, r: 6, u: 22, orphans: 0 });
    expect(served).toMatch(/Demo users \(password kehu-demo\): sales01, /);
    expect(served).toMatch(/Demo login: admin \/ kehu-demo/);
    // The seed's own figures hold together: every contract's lines add up to its amount.
    const mismatched = await db.knex.raw("SELECT count(*)::int AS n FROM data.contract WHERE amount <> line_total");
    expect(mismatched.rows[0].n).toBe(0);
  }, 240_000);

  it("names the templates it knows when given an unknown one", async () => {
    const io = captureIo({ openDatabase: keepOpen(db) });
    await expect(demoCommand.run(["nope"], io)).rejects.toThrow(/no template "nope"/);
  });
});
