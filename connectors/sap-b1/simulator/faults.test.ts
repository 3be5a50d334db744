import { describe, expect, it } from "vitest";
import type { FaultConfig } from "./faults";
import { startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

async function statusPattern(faults: FaultConfig, requests: number): Promise<number[]> {
  const sim = await startSapB1Simulator({ faults });
  try {
    const client = new SlTestClient(sim.url);
    const statuses: number[] = [];
    for (let i = 0; i < requests; i++) statuses.push((await client.get("Warehouses")).status);
    return statuses;
  } finally {
    await sim.close();
  }
}

describe("fault injection", () => {
  it("fails a seeded share of requests with an empty 5xx, in the same pattern for the same seed", async () => {
    const first = await statusPattern({ seed: 42, errorRate: 0.3, errorStatus: 503 }, 40);
    const second = await statusPattern({ seed: 42, errorRate: 0.3, errorStatus: 503 }, 40);
    const other = await statusPattern({ seed: 7, errorRate: 0.3, errorStatus: 503 }, 40);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    const failures = first.filter((status) => status === 503).length;
    expect(failures).toBeGreaterThan(4);
    expect(failures).toBeLessThan(24);
    expect(new Set(first)).toEqual(new Set([401, 503]));
  });

  it("drops connections so that the client sees a socket error", async () => {
    const sim = await startSapB1Simulator({ faults: { dropRate: 1 } });
    try {
      const error = await fetch(`${sim.url}/Warehouses`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as TypeError).cause)).toMatch(/socket|closed|ECONNRESET/i);
    } finally {
      await sim.close();
    }
  });

  it("adds latency before answering", async () => {
    const sim = await startSapB1Simulator({ faults: { latencyMs: { min: 150, max: 200 } } });
    try {
      const started = performance.now();
      const reply = await new SlTestClient(sim.url).get("Warehouses");
      expect(reply.status).toBe(401);
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    } finally {
      await sim.close();
    }
  });

  it("works end to end with a session through a lossy connection when the client retries", async () => {
    const sim = await startSapB1Simulator({ seed: "demo", sizes: { items: 60 }, faults: { seed: 3, errorRate: 0.2 } });
    try {
      const client = new SlTestClient(sim.url);
      while ((await client.login()).status !== 200);
      let next: string | undefined = "Items?$select=ItemCode";
      const seen = new Set<string>();
      while (next) {
        const reply = await client.get(next);
        if (reply.status >= 500) continue;
        for (const item of reply.body.value) seen.add(item.ItemCode);
        next = reply.body["odata.nextLink"];
      }
      expect(seen.size).toBe(60);
    } finally {
      await sim.close();
    }
  });

  it("lostResponseRate: SL processes the request, the client never hears back", async () => {
    const sim = await startSapB1Simulator({
      seed: "demo",
      sizes: { orders: 0, invoices: 0, payments: 0 },
      requireRouteId: false,
      faults: { seed: 2, lostResponseRate: 0.5 },
    });
    try {
      const client = new SlTestClient(sim.url);
      while ((await client.login().catch(() => ({ status: 0 }))).status !== 200);
      const order = { CardCode: "C00001", DocumentLines: [{ ItemCode: "A000001", Quantity: 1 }] };
      let lost = 0;
      for (let i = 0; i < 10; i++) {
        const reply = await client.request("POST", "Orders", { body: order }).catch(() => undefined);
        if (!reply) lost++;
      }
      expect(lost).toBeGreaterThan(0);
      expect(lost).toBeLessThan(10);
      expect(sim.store.count("Orders")).toBe(10);
    } finally {
      await sim.close();
    }
  });
});
