import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordStore } from "../../engine/src/records/record-store";
import { SYSTEM_PRINCIPAL } from "../../engine/src/security/principal";
import { conflictView } from "../../engine/src/sync/conflict-view";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import type { ConflictPolicy } from "../../engine/src/sync/pull-decision";
import { resolveConflict } from "../../engine/src/sync/resolve-conflict";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, partnerMapping, type SapBed } from "./sap-b1-bed";

let bed: SapBed;
beforeAll(async () => {
  bed = await openSapBed({
    sim: { sizes: { partners: 20, items: 0, orders: 0, invoices: 0, payments: 0 } },
    mappings: [partnerMapping],
  });
  await runSync(bed.services, { connection: "sap" });
}, 60_000);
afterAll(() => bed?.close());

const knex = () => bed.services.knex;
const partner = (code: string) => knex()("data.bp").where({ code }).first();
const inSap = (code: string) => bed.sim.store.get("BusinessPartners", code)!;
const HOUR = 3_600_000;

/** Phone changed in Kehu and in SAP B1 (SAP's change stamped `sapOffsetMs` from now), then one sync run. */
async function changedOnBothSides(code: string, policy: ConflictPolicy, sapOffsetMs = 0, full = false) {
  await saveMapping(knex(), bed.services.registry, { ...partnerMapping, conflict: policy });
  const row = await partner(code);
  const sapFirst = sapOffsetMs < 0;
  const crmChange = () =>
    new RecordStore(knex(), bed.services.registry.require("bp")).update(row.id, { phone: "crm-phone" }, undefined);
  const sapChange = () =>
    bed.sim.store.update("BusinessPartners", code, (bp) => {
      bp.Phone1 = "sap-phone";
      const clock = bed.sim.store.clock;
      bed.sim.store.clock = () => new Date(Date.now() + sapOffsetMs);
      bed.sim.store.touch(bp);
      bed.sim.store.clock = clock;
    });
  if (sapFirst) sapChange();
  await crmChange();
  if (!sapFirst) sapChange();
  return runSync(bed.services, { connection: "sap", full });
}

describe("a field changed in Kehu and in SAP B1 between two runs", () => {
  it("manual: waits in the conflict queue with both values, touches neither side, then resolves as decided", async () => {
    const run = await changedOnBothSides("C00001", "manual");
    expect(run).toMatchObject({ status: "succeeded", conflicts: 1, failed: 0 });
    expect(await partner("C00001")).toMatchObject({ phone: "crm-phone" });
    expect(inSap("C00001").Phone1).toBe("sap-phone");
    const conflict = await knex()("kehu.sync_conflicts").where({ external_key: "C00001", status: "open" }).first();
    expect(conflict).toMatchObject({ policy: "manual", mapping: "sap_partners" });
    expect(conflictView(conflict, "SAP B1").report).toEqual([
      'phone: CRM says "crm-phone" / SAP B1 says "sap-phone" / waiting for a decision (manual)',
    ]);
    // Runs while it is open leave both sides alone.
    expect(await runSync(bed.services, { connection: "sap", full: true })).toMatchObject({ failed: 0 });
    expect(inSap("C00001").Phone1).toBe("sap-phone");

    const resolved = await resolveConflict(bed.services, String(conflict.id), { take: "crm" }, SYSTEM_PRINCIPAL);
    expect(conflictView(resolved, "SAP B1").report).toEqual([
      'phone: CRM says "crm-phone" / SAP B1 says "sap-phone" / system chose CRM',
    ]);
    // The CRM's value goes to SAP with the next run.
    expect(await runSync(bed.services, { connection: "sap" })).toMatchObject({ failed: 0, conflicts: 0 });
    expect(inSap("C00001").Phone1).toBe("crm-phone");
    expect(await partner("C00001")).toMatchObject({ phone: "crm-phone" });
  });

  it("erp_wins: SAP's value lands in Kehu and the rule's choice is recorded", async () => {
    const run = await changedOnBothSides("C00002", "erp_wins");
    expect(run).toMatchObject({ conflicts: 1, failed: 0 });
    expect(await partner("C00002")).toMatchObject({ phone: "sap-phone" });
    expect(inSap("C00002").Phone1).toBe("sap-phone");
    const conflict = await knex()("kehu.sync_conflicts").where({ external_key: "C00002" }).first();
    expect(conflictView(conflict, "SAP B1").report).toEqual([
      'phone: CRM says "crm-phone" / SAP B1 says "sap-phone" / rule chose SAP B1',
    ]);
  });

  it("crm_wins: Kehu's value stays and the same run writes it to SAP", async () => {
    const run = await changedOnBothSides("C00003", "crm_wins");
    expect(run).toMatchObject({ conflicts: 1, failed: 0 });
    expect(await partner("C00003")).toMatchObject({ phone: "crm-phone" });
    expect(inSap("C00003").Phone1).toBe("crm-phone");
  });

  it("newest_wins: the later change wins, by SAP's UpdateDate/UpdateTime against Kehu's update time", async () => {
    await changedOnBothSides("C00004", "newest_wins", HOUR, true);
    expect(await partner("C00004")).toMatchObject({ phone: "sap-phone" });
    expect(inSap("C00004").Phone1).toBe("sap-phone");
    await changedOnBothSides("C00005", "newest_wins", -HOUR, true);
    expect(await partner("C00005")).toMatchObject({ phone: "crm-phone" });
    expect(inSap("C00005").Phone1).toBe("crm-phone");
  });
});
