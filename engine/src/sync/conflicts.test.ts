import type { SyncMapping } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordStore } from "../records/record-store";
import { SYSTEM_PRINCIPAL } from "../security/principal";
import { getConflict } from "./conflict-store";
import { conflictView } from "./conflict-view";
import { saveMapping } from "./mapping-store";
import { resolveConflict } from "./resolve-conflict";
import { runSync } from "./run-sync";
import { accountMapping, openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed([accountMapping]);
});
afterAll(() => bed?.close());

const knex = () => bed.services.knex;
const account = (code: string) => knex()("data.account").where({ code }).first();
const erpRecord = (code: string) => bed.system.stream("partners").records.find((r) => r.CardCode === code)!;

/** A partner synced once, then its phone changed on both sides (and, on the CRM side, optionally its name). */
async function changedOnBothSides(code: string, policy: SyncMapping["conflict"], erpTime?: string) {
  await saveMapping(knex(), bed.services.registry, { ...accountMapping, conflict: policy });
  bed.system.upsert("partners", { CardCode: code, CardName: `Partner ${code}`, Phone1: "base", GroupCode: 100 });
  await runSync(bed.services, { connection: "erp" });
  const row = await account(code);
  const store = new RecordStore(knex(), bed.services.registry.require("account"));
  await store.update(row.id, { phone: "crm", name: `Renamed ${code}` }, undefined);
  bed.system.upsert("partners", {
    CardCode: code,
    Phone1: "erp",
    GroupCode: 101,
    ...(erpTime ? { updatedAt: erpTime } : {}),
  });
  return runSync(bed.services, { connection: "erp" });
}

describe("conflicts", () => {
  it("manual: queues the conflict, leaves the record untouched, and resolves as decided", async () => {
    const run = await changedOnBothSides("M1", "manual");
    expect(run).toMatchObject({ conflicts: 1, updated: 0 });
    expect(await account("M1")).toMatchObject({ phone: "crm", tier: "gold", name: "Renamed M1" });
    const row = await knex()("kehu.sync_conflicts").where({ external_key: "M1" }).first();
    expect(row).toMatchObject({
      status: "open",
      policy: "manual",
      fields: { phone: { crm: "crm", erp: "erp", base: "base" } },
    });
    expect(conflictView(row, "SAP B1").report).toEqual([
      'phone: CRM says "crm" / SAP B1 says "erp" / waiting for a decision (manual)',
    ]);
    // The push of the CRM's rename waits for the decision too.
    expect(erpRecord("M1").CardName).toBe("Partner M1");

    const resolved = await resolveConflict(bed.services, String(row.id), { take: "erp" }, SYSTEM_PRINCIPAL);
    expect(conflictView(resolved, "SAP B1").report).toEqual([
      'phone: CRM says "crm" / SAP B1 says "erp" / system chose SAP B1',
    ]);
    // The ERP's phone and tier apply; the CRM's own rename stays and is pushed by the next run.
    expect(await account("M1")).toMatchObject({ phone: "erp", tier: "silver", name: "Renamed M1" });
    await expect(resolveConflict(bed.services, String(row.id), { take: "crm" }, SYSTEM_PRINCIPAL)).rejects.toThrow(
      /already resolved/,
    );
    const next = await runSync(bed.services, { connection: "erp" });
    expect(next).toMatchObject({ conflicts: 0, failed: 0 });
    expect(erpRecord("M1")).toMatchObject({ CardName: "Renamed M1", Phone1: "erp" });
  });

  it("manual: a custom value needs every conflicting field and then wins on both sides", async () => {
    await changedOnBothSides("M2", "manual");
    const row = await knex()("kehu.sync_conflicts").where({ external_key: "M2", status: "open" }).first();
    await expect(
      resolveConflict(bed.services, String(row.id), { take: "custom", values: {} }, SYSTEM_PRINCIPAL),
    ).rejects.toMatchObject({
      issues: [{ path: "/values/phone", message: "is required: the field is in conflict" }],
    });
    await resolveConflict(
      bed.services,
      String(row.id),
      { take: "custom", values: { phone: "agreed" } },
      SYSTEM_PRINCIPAL,
    );
    expect(await account("M2")).toMatchObject({ phone: "agreed" });
    await runSync(bed.services, { connection: "erp" });
    expect(erpRecord("M2")).toMatchObject({ Phone1: "agreed", CardName: "Renamed M2" });
    expect((await getConflict(knex(), row.id)).resolution).toBe("take_custom");
  });

  it("manual: two people resolving the same conflict at once: one decision holds, the other is refused", async () => {
    await changedOnBothSides("M3", "manual");
    const row = await knex()("kehu.sync_conflicts").where({ external_key: "M3", status: "open" }).first();
    const settled = await Promise.allSettled([
      resolveConflict(bed.services, String(row.id), { take: "crm" }, { ...SYSTEM_PRINCIPAL, login: "amy" }),
      resolveConflict(bed.services, String(row.id), { take: "erp" }, { ...SYSTEM_PRINCIPAL, login: "bob" }),
    ]);
    const won = settled.filter((s) => s.status === "fulfilled");
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((s) => (s.reason as Error).message)).toEqual([`Conflict ${row.id} is already resolved`]);
    const stored = await getConflict(knex(), row.id);
    const winner = (won[0] as PromiseFulfilledResult<{ resolved_by: string; resolution: string }>).value;
    expect(stored).toMatchObject({ resolved_by: winner.resolved_by, resolution: winner.resolution });
    expect((await account("M3")).phone).toBe(winner.resolution === "take_crm" ? "crm" : "erp");
  });

  it("erp_wins: the ERP value is written and the conflict is recorded as settled by the rule", async () => {
    const run = await changedOnBothSides("E1", "erp_wins");
    // Pulled: the phone; pushed: the CRM's rename.
    expect(run).toMatchObject({ conflicts: 1, updated: 2 });
    expect(await account("E1")).toMatchObject({ phone: "erp", name: "Renamed E1" });
    const row = await knex()("kehu.sync_conflicts").where({ external_key: "E1" }).first();
    expect(conflictView(row, "SAP B1").report).toEqual([
      'phone: CRM says "crm" / SAP B1 says "erp" / rule chose SAP B1',
    ]);
  });

  it("crm_wins: the CRM value stays and the same run pushes it to the ERP", async () => {
    const run = await changedOnBothSides("W1", "crm_wins");
    expect(run).toMatchObject({ conflicts: 1 });
    expect(await account("W1")).toMatchObject({ phone: "crm", tier: "silver" });
    expect(erpRecord("W1")).toMatchObject({ Phone1: "crm", CardName: "Renamed W1", GroupCode: "101" });
  });

  it("newest_wins: compares the ERP's update time with the CRM's", async () => {
    await changedOnBothSides("N1", "newest_wins");
    expect(await account("N1")).toMatchObject({ phone: "crm" });
    await changedOnBothSides("N2", "newest_wins", "2099-01-01T00:00:00.000Z");
    expect(await account("N2")).toMatchObject({ phone: "erp" });
  });
});
