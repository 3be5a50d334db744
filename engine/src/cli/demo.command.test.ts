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
  it("applies the building-materials template, seeds it once, syncs it with the SAP B1 simulator, and serves it", async () => {
    const run = (...args: string[]) => {
      const io = captureIo({ openDatabase: keepOpen(db), waitForShutdown: async () => "test" });
      return demoCommand.run(["--port", "0", ...args], io).then((code) => ({ code, io }));
    };
    const first = await run();
    expect(first.code).toBe(0);
    const served = first.io.out();
    expect(served).toMatch(/Seeded .*60 customer, .*222 lead, 180 opportunity, .*38 contract, .*106 settlement_plan/);
    // The seed's live records were entered by their owners: two contracts wait for their branch manager's approval
    // (one of them for a director after), two new leads are assigned and wait for a first contact.
    expect(served).toMatch(
      /Workflows started for the seed's live records: contract-approval 2, lead-assignment 2; open tasks: .*mgr_central 1, mgr_east 1/,
    );
    const approvals = await db
      .knex("kehu.wf_tasks as t")
      .join("kehu.wf_instances as i", "i.id", "t.instance_id")
      .where({ "i.key": "contract-approval", "t.status": "open" })
      .orderBy("t.candidate_users")
      .select("t.candidate_users");
    expect(approvals.map((t) => t.candidate_users)).toEqual([["mgr_central"], ["mgr_east"]]);
    const seedInstances = async () =>
      Number(
        (
          await db
            .knex("kehu.wf_instances")
            .whereIn("key", ["contract-approval", "lead-assignment", "contract-billing"])
            .count({ n: "*" })
        )[0].n,
      );
    // Only live records start workflows: the 25 active contracts and 44 new leads of the seed's history started none.
    expect(await seedInstances()).toBe(4);
    expect(served).toMatch(/Kehu is running at http:\/\/127\.0\.0\.1:\d+/);
    // The SAP B1 simulator got the seed's partners and items, and invoices and payments against open settlement
    // lines; one sync of every mapping brought them in.
    expect(served).toMatch(
      /SAP Business One simulator at http:\/\/127\.0\.0\.1:\d+\/b1s\/v2 \(60 business partners, \d+ items, 6 invoices, 6 incoming payments\)/,
    );
    // Every item read is accounted for: the seed's products are linked, so each is updated or unchanged.
    const items = served.match(
      /Sync sap_items \(items → product\): read ([1-9]\d*), created 0, updated (\d+), unchanged (\d+), failed 0/,
    );
    expect(items).not.toBeNull();
    expect(Number(items?.[2]) + Number(items?.[3])).toBe(Number(items?.[1]));
    expect(served).toMatch(
      /Sync sap_item_stock \(item_stock → stock_level\): read [1-9]\d*, created [1-9]\d*, updated 0, unchanged 0, failed 0/,
    );
    expect(served).toMatch(
      /Sync sap_invoices \(invoices → contract_invoice\): read 6, created 6, updated 0, unchanged 0, failed 0/,
    );
    expect(served).toMatch(
      /Sync sap_incoming_payments \(incoming_payments → collection\): read 6, created 6, updated 0, unchanged 0, failed 0/,
    );
    expect(served).toMatch(
      /Sync sap_sales_orders \(sales_order → sales_orders\): read 0, created 0, updated 0, unchanged 0, failed 0/,
    );
    const synced = async () =>
      (
        await db.knex.raw(
          "SELECT (SELECT count(*)::int FROM data.collection WHERE sap_doc_entry IS NOT NULL AND status = 'confirmed' AND settlement_plan IS NOT NULL) AS c, (SELECT count(*)::int FROM data.contract_invoice WHERE sap_doc_entry IS NOT NULL) AS i",
        )
      ).rows[0];
    expect(await synced()).toEqual({ c: 6, i: 6 });
    const second = await run();
    expect(second.io.out()).toMatch(/Seed data already loaded\./);
    expect(second.io.out()).not.toMatch(/Workflows started/);
    // A fresh simulator next time: the documents synced before are not made (and so not pulled) again.
    expect(second.io.out()).toMatch(/0 invoices, 0 incoming payments/);
    expect(await synced()).toEqual({ c: 6, i: 6 });
    const third = await run("--no-sap");
    expect(third.code).toBe(0);
    expect(third.io.out()).not.toMatch(/SAP Business One simulator|Sync sap_/);
    const { rows } = await db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
    expect(rows[0].n).toBe(60);
    // The organisation, its roles and demo users came with it, and every customer belongs to a department.
    const org = await db.knex.raw(
      "SELECT (SELECT count(*)::int FROM kehu.departments) AS d, (SELECT count(*)::int FROM kehu.roles) AS r, (SELECT count(*)::int FROM kehu.users) AS u, (SELECT count(*)::int FROM data.customer WHERE department_id IS NULL) AS orphans",
    );
    // 22 people and the service user of the SAP connection (sync.sap_b1).
    expect(org.rows[0]).toEqual({ d: 17, r: 6, u: 23, orphans: 0 });
    expect(served).toMatch(/Demo users \(password kehu-demo\): sales01, /);
    expect(served).toMatch(/Demo login: admin \/ kehu-demo/);
    // The seed's own figures hold together: every contract's lines add up to its amount.
    const mismatched = await db.knex.raw("SELECT count(*)::int AS n FROM data.contract WHERE amount <> line_total");
    expect(mismatched.rows[0].n).toBe(0);
    // Starting the demo again started none of them twice.
    expect(await seedInstances()).toBe(4);
  }, 240_000);

  it("names the templates it knows when given an unknown one", async () => {
    const io = captureIo({ openDatabase: keepOpen(db) });
    await expect(demoCommand.run(["nope"], io)).rejects.toThrow(/no template "nope"/);
  });
});
