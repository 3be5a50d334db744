import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSync } from "./run-sync";
import { loadStreamState } from "./stream-state";
import { accountMapping, openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed([{ ...accountMapping, direction: "pull" }]);
});
afterAll(() => bed?.close());

const createdPerKey = async () =>
  Object.fromEntries(
    (
      await bed.services
        .knex("kehu.sync_ledger")
        .where({ outcome: "created" })
        .groupBy("external_key")
        .select("external_key", bed.services.knex.raw("count(*)::int AS n"))
    ).map((r: { external_key: string; n: number }) => [r.external_key, r.n]),
  );

describe("checkpoints", () => {
  it("commits nothing of a page cut short, and the next run resumes after the last whole page", async () => {
    for (const code of ["K1", "K2", "K3", "K4", "K5"])
      bed.system.upsert("partners", { CardCode: code, CardName: code });
    bed.system.failReadAfter = 3;
    const crashed = await runSync(bed.services, { connection: "erp", retry: { attempts: 1 } });
    expect(crashed).toMatchObject({ status: "failed", error: "connection reset by peer", read: 2, created: 2 });
    expect(await bed.services.knex("data.account").count({ n: "*" })).toEqual([{ n: 2 }]);
    expect(await loadStreamState(bed.services.knex, "erp", "partners")).toMatchObject({ key: "K2" });

    const resumed = await runSync(bed.services, { connection: "erp" });
    expect(resumed).toMatchObject({ status: "succeeded", read: 3, created: 3, unchanged: 0 });
    expect(await createdPerKey()).toEqual({ K1: 1, K2: 1, K3: 1, K4: 1, K5: 1 });
  });

  it("retries a failed read from the last checkpoint within the run", async () => {
    for (const code of ["R1", "R2", "R3"]) bed.system.upsert("partners", { CardCode: code, CardName: code });
    bed.system.failReadAfter = 1;
    const run = await runSync(bed.services, { connection: "erp" });
    expect(run).toMatchObject({ status: "succeeded", created: 3, failed: 0 });
    expect(await createdPerKey()).toMatchObject({ R1: 1, R2: 1, R3: 1 });
  });

  it("counts records read again in an overlap window as unchanged", async () => {
    bed.system.overlap = true;
    const run = await runSync(bed.services, { connection: "erp" });
    expect(run.read).toBeGreaterThan(0);
    expect(run).toMatchObject({ created: 0, updated: 0, unchanged: run.read });
    bed.system.overlap = false;
  });

  it("refuses a second run of the same connection while one is going", async () => {
    const { startSync } = await import("./run-sync");
    const release = bed.system.hold();
    const first = await startSync(bed.services, { connection: "erp" });
    await expect(startSync(bed.services, { connection: "erp" })).rejects.toThrow(/already running/);
    release();
    expect(await first.done).toMatchObject({ status: "succeeded" });
  });
});

describe("schedules", () => {
  it("lists cron schedules and skips a tick while a run is going", async () => {
    const { syncSchedules, runScheduledSync } = await import("./run-scheduled-sync");
    await bed.services.knex("kehu.sync_connections").where({ name: "erp" }).update({ schedule: "*/15 * * * *" });
    expect(await syncSchedules(bed.services.knex)).toEqual([
      { key: "sync/erp", cron: "*/15 * * * *", connection: "erp" },
    ]);
    const release = bed.system.hold();
    const { startSync } = await import("./run-sync");
    const first = await startSync(bed.services, { connection: "erp" });
    expect(await runScheduledSync(bed.services, { connection: "erp" })).toBeUndefined();
    release();
    await first.done;
    expect(await runScheduledSync(bed.services, { connection: "erp" })).toMatchObject({
      status: "succeeded",
      trigger: "schedule",
    });
  });
});
