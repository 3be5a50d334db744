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

  it("two pages needing a lock from each other (a unique value the mapping does not key on) finish as if written one by one", async () => {
    const knex = bed.services.knex;
    for (const [code, name] of [
      ["L1", "One"],
      ["L2", "Two"],
    ])
      bed.system.upsert("partners", { CardCode: code, CardName: name });
    await runSync(bed.services, { connection: "erp", streams: ["partners"] });
    // One phone number per account, and L1's update slow: page 2 sets L2's phone first and holds it while it waits
    // for page 1, whose update of L1 then waits for page 2.
    await knex.raw("CREATE UNIQUE INDEX account_phone ON data.account (phone)");
    await knex.raw(`CREATE FUNCTION slow_l1() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.code = 'L1' THEN PERFORM pg_sleep(1); END IF; RETURN NEW; END $$`);
    await knex.raw("CREATE TRIGGER slow_l1 BEFORE UPDATE ON data.account FOR EACH ROW EXECUTE FUNCTION slow_l1()");
    try {
      bed.system.upsert("partners", { CardCode: "L1", Phone1: "021-5551" });
      bed.system.upsert("partners", { CardCode: "L2", Phone1: "021-5551" });
      const run = await runSync(bed.services, { connection: "erp", streams: ["partners"] });
      expect(run).toMatchObject({ status: "succeeded", read: 2, updated: 1, failed: 1 });
      const accounts = await knex("data.account").whereIn("code", ["L1", "L2"]).orderBy("code");
      expect(accounts.map((a) => [a.code, a.phone, a.version])).toEqual([
        ["L1", "021-5551", 2],
        ["L2", null, 1],
      ]);
      const dead = await knex("kehu.sync_dead_letters").where({ run_id: run.id });
      expect(dead.map((d) => d.external_key)).toEqual(["L2"]);
    } finally {
      await knex.raw("DROP TRIGGER slow_l1 ON data.account");
      await knex.raw("DROP FUNCTION slow_l1()");
      await knex.raw("DROP INDEX data.account_phone");
    }
  }, 30_000);
});
