import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSync } from "./run-sync";
import { openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed();
});
afterAll(() => bed?.close());

describe("a page's updates written together", () => {
  it("when the set-wise update breaks a database constraint, the page is written record by record: only the bad one fails", async () => {
    const { system, services } = bed;
    const knex = services.knex;
    for (const [code, name] of [
      ["U1", "One"],
      ["U2", "Two"],
      ["U3", "Three"],
    ])
      system.upsert("partners", { CardCode: code, CardName: name });
    await runSync(services, { connection: "erp", streams: ["partners"] });
    // A rule the database enforces and the mapping cannot see: one phone number per account.
    await knex.raw("CREATE UNIQUE INDEX account_phone ON data.account (phone)");
    try {
      // U1 and U2 arrive in one page (the memory ERP pages by two) with the same phone; U3 in the next.
      system.upsert("partners", { CardCode: "U1", Phone1: "021-5550" });
      system.upsert("partners", { CardCode: "U2", Phone1: "021-5550" });
      system.upsert("partners", { CardCode: "U3", CardName: "Three (renamed)" });
      const run = await runSync(services, { connection: "erp", streams: ["partners"] });
      expect(run).toMatchObject({ status: "succeeded", read: 3, updated: 2, failed: 1 });
      const byCode = new Map(
        (await knex("data.account").whereIn("code", ["U1", "U2", "U3"]).select("code", "name", "phone", "version")).map(
          (a) => [a.code, a],
        ),
      );
      expect(byCode.get("U1")).toMatchObject({ phone: "021-5550", version: 2 });
      expect(byCode.get("U2")).toMatchObject({ phone: null, version: 1 });
      expect(byCode.get("U3")).toMatchObject({ name: "Three (renamed)", version: 2 });
      // The set-wise attempt left nothing behind: one audit row per record really updated.
      const ids = [...byCode.values()].map((a) => a.code);
      const audited = await knex("kehu.audit_log as l")
        .join("data.account as a", "a.id", "l.record_id")
        .whereIn("a.code", ids)
        .where({ "l.action": "update" })
        .orderBy("a.code")
        .pluck("a.code");
      expect(audited).toEqual(["U1", "U3"]);
      const dead = await knex("kehu.sync_dead_letters").where({ run_id: run.id });
      expect(dead.map((d) => d.external_key)).toEqual(["U2"]);
      expect(dead[0].reason).toMatch(/phone|already/i);
      const ledger = await knex("kehu.sync_ledger").where({ run_id: run.id }).orderBy("external_key");
      expect(ledger.map((l) => [l.external_key, l.outcome])).toEqual([
        ["U1", "updated"],
        ["U2", "failed"],
        ["U3", "updated"],
      ]);
    } finally {
      await knex.raw("DROP INDEX data.account_phone");
    }
  });
});
