import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, notFoundServer } from "../../connectors/sap-b1/src/testing/unreachable-servers";
import { saveConnection } from "../../engine/src/sync/connection-store";
import { saveMapping } from "../../engine/src/sync/mapping-store";
import { runScheduledSync } from "../../engine/src/sync/run-scheduled-sync";
import { runSync } from "../../engine/src/sync/run-sync";
import { openSapBed, partnerMapping, type SapBed, simConnection } from "./sap-b1-bed";

let bed: SapBed;
let port: number;
beforeAll(async () => {
  bed = await openSapBed({
    sim: { sizes: { partners: 3, items: 0, orders: 0, invoices: 0, payments: 0 } },
    mappings: [partnerMapping],
  });
  // The engine's waits between reads are skipped; the connector's own (a few hundred ms) are real.
  bed.services = { ...bed.services, sleep: async () => {} };
  port = await closedPort();
}, 60_000);
afterAll(() => bed?.close());

/** The connection `sap` at `baseUrl`; each request is tried 3 times by the connector (6 by default). */
const pointAt = (baseUrl: string) =>
  saveConnection(bed.services, simConnection(bed.sim, { baseUrl, apiVersion: "v2", retryAttempts: 3 }));

const refusedAttempts = (error: string | null) =>
  Number(/connection refused \((\d+) attempts in a row\)/.exec(error ?? "")?.[1]);

describe("a sync run whose baseUrl names no Service Layer", () => {
  it("stops at once on a host name DNS does not know, naming the host", async () => {
    await pointAt("http://no-such-host.invalid:50000");
    const run = await runSync(bed.services, { connection: "sap", trigger: "cli" });
    expect(run).toMatchObject({
      status: "failed",
      error: "The SAP B1 host no-such-host.invalid could not be found (DNS). Check the host name in baseUrl",
    });
  });

  it("a run someone started gives up on a refused port after 3 reads of 3 attempts, naming host:port", async () => {
    await pointAt(`http://127.0.0.1:${port}`);
    const run = await runSync(bed.services, { connection: "sap", trigger: "api" });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(
      new RegExp(
        `^Cannot reach the Service Layer at 127\\.0\\.0\\.1:${port} \\(POST /b1s/v2/Login\\): connection refused`,
      ),
    );
    // Retried (more than one read), but not the connector's attempts times the run's times the request's.
    expect(refusedAttempts(run.error)).toBeGreaterThan(3);
    expect(refusedAttempts(run.error)).toBeLessThanOrEqual(9);
  });

  it("a scheduled run backs off longer on a refused port (an ERP restarting at night), but still gives up", async () => {
    await pointAt(`http://127.0.0.1:${port}`);
    const run = await runScheduledSync(bed.services, { connection: "sap" });
    expect(run?.status).toBe("failed");
    expect(refusedAttempts(run?.error ?? null)).toBeGreaterThan(9);
    expect(refusedAttempts(run?.error ?? null)).toBeLessThanOrEqual(15);
  });

  it("a push-only run someone started fails on a refused port as soon, naming host:port, and dead-letters nothing", async () => {
    await saveMapping(bed.services.knex, bed.services.registry, { ...partnerMapping, direction: "push" });
    await bed.services.knex("data.bp").insert({ name: "新客户 (CRM only)", kind: "customer" });
    try {
      await pointAt(`http://127.0.0.1:${port}`);
      const run = await runSync(bed.services, { connection: "sap", trigger: "api" });
      expect(run).toMatchObject({ status: "failed", failed: 0 });
      expect(run.error).toMatch(
        new RegExp(
          `^Cannot reach the Service Layer at 127\\.0\\.0\\.1:${port} .* \\(push of business_partners stopped: 1 record waits for the next run, no dead letters\\)$`,
        ),
      );
      expect(await bed.services.knex("kehu.sync_dead_letters").where({ run_id: run.id })).toEqual([]);
      // The run's 3 writes x the login's 3 attempts; not x the connector's write rounds too (27).
      expect(refusedAttempts(run.error)).toBeGreaterThan(3);
      expect(refusedAttempts(run.error)).toBeLessThanOrEqual(9);
    } finally {
      await bed.services.knex("data.bp").where({ name: "新客户 (CRM only)" }).delete();
      await saveMapping(bed.services.knex, bed.services.registry, partnerMapping);
    }
  });

  it("stops at once on a server that answers 404 to the login, after one request", async () => {
    const web = await notFoundServer();
    try {
      await pointAt(web.origin);
      const run = await runSync(bed.services, { connection: "sap" });
      expect(run).toMatchObject({ status: "failed" });
      expect(run.error).toMatch(
        new RegExp(`^No SAP B1 Service Layer answers at ${web.origin}/b1s/v2: its Login answered HTTP 404`),
      );
      expect(web.paths).toEqual(["POST /b1s/v2/Login"]);
    } finally {
      await web.close();
    }
  });

  it("stops at once on https:// against the plain HTTP port, after one connection", async () => {
    let connections = 0;
    const count = () => connections++;
    bed.sim.server.on("connection", count);
    try {
      const origin = bed.sim.origin.replace("http:", "https:");
      await pointAt(origin);
      const run = await runSync(bed.services, { connection: "sap" });
      expect(run).toMatchObject({
        status: "failed",
        error: `The SAP B1 server ${origin} does not answer TLS on that port. Check baseUrl: http:// or https://, and the port`,
      });
      expect(connections).toBe(1);
    } finally {
      bed.sim.server.off("connection", count);
    }
  });
});
