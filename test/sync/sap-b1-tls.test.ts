import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KeyAndCert, selfSignedCert } from "../../connectors/sap-b1/simulator/index";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, partnerMapping, type SapBed, simConnection } from "./sap-b1-bed";

let bed: SapBed;
let tls: KeyAndCert;
beforeAll(async () => {
  tls = selfSignedCert("localhost", "DNS:localhost,IP:127.0.0.1");
  bed = await openSapBed({
    sim: { tls, sizes: { partners: 30, items: 0, orders: 0, invoices: 0, payments: 0 } },
    mappings: [partnerMapping],
    config: { caCertificate: tls.cert },
  });
}, 60_000);
afterAll(() => bed?.close());

const connection = (extra: Record<string, unknown>) => simConnection(bed.sim, { apiVersion: "v2", ...extra });

describe("a sync run against a Service Layer on HTTPS with its self-signed certificate", () => {
  it("pulls with the certificate trusted, and without it fails at once with the fix, not after backing off", async () => {
    const trusted = await runSync(bed.services, { connection: "sap", retry: { baseDelayMs: 50 } });
    expect(trusted).toMatchObject({ status: "succeeded", failed: 0 });
    expect(Number((await bed.services.knex("data.bp").count({ n: "*" }))[0].n)).toBeGreaterThanOrEqual(30);

    await saveConnection(bed.services, connection({}));
    let connections = 0;
    bed.sim.server.on("connection", () => connections++);
    const refused = await runSync(bed.services, { connection: "sap", full: true, retry: { baseDelayMs: 50 } });
    expect(refused.status).toBe("failed");
    expect(refused.error).toBe(
      `The SAP B1 server ${bed.sim.origin} presented a certificate Kehu does not trust (self-signed certificate). Add its certificate (PEM) under caCertificate in the connection, or on a test system only set allowInvalidCertificate`,
    );
    // One handshake: neither the connector's request retries nor the run's read retries tried again.
    expect(connections).toBe(1);
  });

  it("a push-only run stops at once on a refused certificate instead of dead-lettering every record", async () => {
    await saveMapping(bed.services.knex, bed.services.registry, { ...partnerMapping, direction: "push" });
    await bed.services.knex("data.bp").insert({ name: "新客户 (CRM only)", kind: "customer" });
    await saveConnection(bed.services, connection({}));
    const refused = await runSync(bed.services, { connection: "sap", retry: { baseDelayMs: 50 } });
    expect(refused.status).toBe("failed");
    expect(refused.error).toMatch(/presented a certificate Kehu does not trust/);
    const dead = await bed.services.knex("kehu.sync_dead_letters").where({ run_id: refused.id });
    expect(dead).toEqual([]);
    // Trusted again, the next run pushes the record.
    await saveConnection(bed.services, connection({ caCertificate: tls.cert }));
    const pushed = await runSync(bed.services, { connection: "sap" });
    expect(pushed).toMatchObject({ status: "succeeded", created: 1, failed: 0 });
  });
});
