import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSync } from "./run-sync";
import { openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

// On PostgreSQL a page starts while the page before still commits, when their keys are disjoint.
let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed();
  bed.system.pageSize = 1;
});
afterAll(() => bed?.close());

const orders = () => bed.services.knex("data.sales_order").orderBy("number").select("number", "note");

describe("pages committing while the next one is written", () => {
  it("a record read again in the next page is updated, not created twice", async () => {
    const records = bed.system.stream("orders").records;
    records.push(
      { DocNum: "R1", Comments: "first", updatedAt: bed.system.now() },
      { DocNum: "R2", Comments: "only", updatedAt: bed.system.now() },
      { DocNum: "R1", Comments: "second", updatedAt: bed.system.now() },
      { DocNum: "R1", Comments: "third", updatedAt: bed.system.now() },
    );
    const run = await runSync(bed.services, { connection: "erp", streams: ["orders"] });
    expect(run).toMatchObject({ status: "succeeded", read: 4, created: 2, updated: 2, failed: 0 });
    expect(await orders()).toEqual([
      { number: "R1", note: "third" },
      { number: "R2", note: "only" },
    ]);
    records.splice(0);
    await bed.services.knex("data.sales_order").delete();
  });

  it("a page whose commit fails takes the pages after it down too: the retry reads on from its checkpoint", async () => {
    const knex = bed.services.knex;
    // The checkpoint after F3 fails to save once, as a full disk would.
    await knex.raw("CREATE SEQUENCE fail_once");
    await knex.raw(`CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state->>'key' = 'F3' AND nextval('fail_once') = 1 THEN RAISE EXCEPTION 'could not extend file'; END IF;
        RETURN NEW;
      END $$`);
    await knex.raw(`CREATE TRIGGER fail_once BEFORE INSERT OR UPDATE ON kehu.sync_stream_state
      FOR EACH ROW EXECUTE FUNCTION fail_once()`);
    try {
      for (let n = 1; n <= 8; n++)
        bed.system.upsert("orders", { DocNum: `F${n}`, Comments: `order ${n}`, WeightTons: n });
      const run = await runSync(bed.services, { connection: "erp", streams: ["orders"] });
      expect(run).toMatchObject({ status: "succeeded", failed: 0 });
      expect((await orders()).map((o) => o.number)).toEqual(["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]);
      // Each order created once: pages read again after the failure count as unchanged.
      const created = await knex("kehu.sync_ledger").where({ run_id: run.id, outcome: "created" }).count({ n: "*" });
      expect(Number(created[0].n)).toBe(8);
    } finally {
      await knex.raw("DROP TRIGGER fail_once ON kehu.sync_stream_state");
      await knex.raw("DROP FUNCTION fail_once()");
      await knex.raw("DROP SEQUENCE fail_once");
    }
  });
});
