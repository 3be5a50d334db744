import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSyncApiBed, type SyncApiBed } from "../../sync/testing/sync-api-bed";
import { accountMapping } from "../../sync/testing/sync-test-bed";

let bed: SyncApiBed;
beforeAll(async () => {
  bed = await openSyncApiBed();
});
afterAll(() => bed?.close());
const http = (...args: Parameters<SyncApiBed["engine"]["http"]>) => bed.engine.http(...args);
const connection = { name: "erp", connector: "memory", config: { baseUrl: "http://erp.test", password: "s3cret" } };
const mapping = {
  ...accountMapping,
  direction: "pull",
  fields: { ...accountMapping.fields, credit: { money: { amount: "CreditLimit", currency: "Currency" } } },
};

describe("DELETE /api/sync/connections/:name", () => {
  it("waits for no run, closes what was open, and leaves nothing a new connection of that name would inherit", async () => {
    bed.system.upsert("partners", { CardCode: "D1", CardName: "one" });
    bed.system.upsert("partners", { CardCode: "D2", CardName: "two" });
    bed.system.upsert("partners", { CardCode: "D3", CardName: "three", Currency: null, CreditLimit: 5 });
    const first = await bed.runToEnd();
    expect(first).toMatchObject({ status: "succeeded", read: 3, created: 2 });
    // A conflict: both sides change D1's phone before the next run.
    const d1 = (await http(`/api/data/account?filter=${encodeURIComponent('{"code":{"eq":"D1"}}')}`)).body.data[0];
    await http(`/api/data/account/${d1.id}`, { method: "PATCH", body: { phone: "crm" } });
    bed.system.upsert("partners", { CardCode: "D1", Phone1: "erp" });
    expect(await bed.runToEnd()).toMatchObject({ conflicts: 1 });

    // Not while a run is going.
    const release = bed.system.hold();
    const held = await http("/api/sync/runs", { method: "POST", body: { connection: "erp", full: true } });
    const busy = await http("/api/sync/connections/erp", { method: "DELETE" });
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toMatch(/already running/);
    release();
    await http(`/api/sync/runs/${held.body.id}/events`);

    expect((await http("/api/sync/connections/erp", { method: "DELETE" })).status).toBe(204);
    const letters = (await http("/api/sync/dead-letters?connection=erp")).body.data;
    expect(letters.length).toBeGreaterThan(0);
    expect(letters.filter((l: { status: string }) => l.status === "open")).toEqual([]);
    expect(letters[0]).toMatchObject({ externalKey: "D3", status: "discarded", closedAt: expect.any(String) });
    expect((await http("/api/sync/conflicts?connection=erp&status=open")).body.data).toEqual([]);
    const links = await bed.engine.ctx.db.knex("kehu.sync_links").where({ connection: "erp" }).count({ n: "*" });
    expect(Number(links[0].n)).toBe(0);
    // History stays: the runs and their ledger.
    expect((await http("/api/sync/runs?connection=erp")).body.data.length).toBe(3);
    expect((await http(`/api/sync/ledger?run=${first.id}`)).body.data.length).toBe(3);

    // A connection made again under the name reads everything again (no old cursor) and matches records by code.
    expect((await http("/api/sync/connections", { method: "POST", body: connection })).status).toBe(201);
    expect((await http("/api/sync/mappings", { method: "POST", body: mapping })).status).toBe(201);
    const again = await bed.runToEnd();
    expect(again).toMatchObject({ status: "succeeded", read: 3, created: 0 });
    const accounts = await http("/api/data/account?fields=code&limit=10");
    expect(accounts.body.data.map((a: { code: string }) => a.code).sort()).toEqual(["D1", "D2"]);
    expect((await http("/api/sync/connections/nope", { method: "DELETE" })).status).toBe(404);
    expect((await http("/api/sync/mappings/nope", { method: "DELETE" })).status).toBe(404);
  });
});
