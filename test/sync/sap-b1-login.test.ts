import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCredentials } from "../../connectors/sap-b1/simulator/index";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, partnerMapping, type SapBed, simConnection } from "./sap-b1-bed";

let bed: SapBed;
let logins = 0;
beforeAll(async () => {
  bed = await openSapBed({
    sim: { sizes: { partners: 30, items: 0, orders: 0, invoices: 0, payments: 0 } },
    mappings: [partnerMapping],
  });
  bed.sim.server.on("request", (req) => {
    if (/\/Login$/.test(req.url ?? "")) logins++;
  });
}, 60_000);
afterAll(() => bed?.close());

const withPassword = (password: string) => simConnection(bed.sim, { password, apiVersion: "v2" });

// SAP Business One locks a user after a few failed logins: a run must not keep trying a password SAP refused.
describe("a sync run whose login SAP Business One refuses", () => {
  it("stops at once with SAP's answer, after one login attempt, instead of backing off through its retries", async () => {
    await saveConnection(bed.services, withPassword("wrong"));
    logins = 0;
    const run = await runSync(bed.services, { connection: "sap", retry: { baseDelayMs: 10 } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/^Login to company .* as manager failed: SAP B1 error 100000027 on Login \(HTTP 401\)/);
    expect(logins).toBe(1);
  });

  it("a push-only run stops too, and dead-letters none of its records", async () => {
    await saveMapping(bed.services.knex, bed.services.registry, { ...partnerMapping, direction: "push" });
    await bed.services.knex("data.bp").insert({ name: "新客户 (CRM only)", kind: "customer" });
    logins = 0;
    const run = await runSync(bed.services, { connection: "sap", retry: { baseDelayMs: 10 } });
    expect(run).toMatchObject({ status: "failed", failed: 0 });
    expect(run.error).toMatch(/Login failed/);
    expect(logins).toBe(1);
    expect(await bed.services.knex("kehu.sync_dead_letters").where({ run_id: run.id })).toEqual([]);
    // The password fixed, the next run pushes the record.
    await saveConnection(bed.services, withPassword(defaultCredentials.password));
    expect(await runSync(bed.services, { connection: "sap" })).toMatchObject({ status: "succeeded", created: 1 });
  });
});
