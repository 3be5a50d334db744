import { describe, expect, it } from "vitest";
import { sapB1Connector } from "./sap-b1-connector";
import { startSimConnection } from "./testing/sim-connection";

describe("SAP B1 session lifecycle", () => {
  it("logs in once for many requests and logs out on close", async () => {
    const { sim, config } = await startSimConnection("v2", {
      sizes: { items: 50, orders: 0, invoices: 0, payments: 0 },
    });
    try {
      const session = sapB1Connector.open({ ...config, pageSize: 10 });
      expect(await session.check()).toEqual({ ok: true });
      for await (const _ of session.read("items", undefined));
      expect(sim.sessions.openCount).toBe(1);
      await session.close();
      expect(sim.sessions.openCount).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("gives up on a request after its timeout with a readable message", async () => {
    const { sim, config } = await startSimConnection("v1", { faults: { latencyMs: 400 } });
    try {
      const session = sapB1Connector.open({ ...config, timeoutMs: 100, retryAttempts: 1 });
      expect(await session.check()).toEqual({ ok: false, message: "No answer to POST /b1s/v1/Login within 100 ms" });
      await session.close();
    } finally {
      await sim.close();
    }
  });

  it("waits out 429 Too Many Requests as Retry-After says, and reports it when attempts run out", async () => {
    const faults = { seed: 4, throttleRate: 0.3, retryAfterSeconds: 0 };
    const { sim, config } = await startSimConnection("v2", {
      faults,
      sizes: { items: 80, orders: 0, invoices: 0, payments: 0 },
    });
    try {
      const patient = sapB1Connector.open({ ...config, pageSize: 10, retryAttempts: 10 });
      let items = 0;
      for await (const message of patient.read("items", undefined)) if (message.type === "record") items++;
      expect(items).toBe(80);
      await patient.close();
      const hasty = sapB1Connector.open({ ...config, pageSize: 10, retryAttempts: 1 });
      const error = await (async () => {
        for await (const _ of hasty.read("items", undefined));
      })().catch((caught: unknown) => caught);
      expect(String(error)).toMatch(/SAP B1 answered HTTP 429 on (Login|GET Items) with an empty body/);
      await hasty.close();
    } finally {
      await sim.close();
    }
  });
});
