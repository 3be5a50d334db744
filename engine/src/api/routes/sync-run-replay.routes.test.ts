import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSyncApiBed, type SyncApiBed } from "../../sync/testing/sync-api-bed";

let bed: SyncApiBed;
beforeAll(async () => {
  bed = await openSyncApiBed();
});
afterAll(() => bed?.close());

describe("POST /api/sync/runs/:id/replay", () => {
  it("replays a run from its starting checkpoints, with no body or with a checkpoint per stream", async () => {
    bed.system.upsert("partners", { CardCode: "R1", CardName: "one" });
    bed.system.upsert("partners", { CardCode: "R2", CardName: "two" });
    const first = await bed.runToEnd();
    expect(first).toMatchObject({ status: "succeeded", created: 2 });
    const bare = await bed.engine.http(`/api/sync/runs/${first.id}/replay`, { method: "POST" });
    expect(bare.status).toBe(202);
    expect(bare.body).toMatchObject({ mode: "replay", streams: ["partners"] });
    const fromStart = await bed.engine.http(`/api/sync/runs/${first.id}/replay`, {
      method: "POST",
      body: { state: { partners: null } },
    });
    expect(fromStart.status).toBe(202);
    // An empty body with a JSON content type, as curl sends it, is no body.
    const empty = await bed.engine.http(`/api/sync/runs/${first.id}/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(empty.status).toBe(202);
  });

  it("refuses a body it cannot use, naming the part, and starts nothing", async () => {
    const first = (await bed.engine.http("/api/sync/runs?limit=1")).body.data[0];
    const before = (await bed.engine.http("/api/sync/runs?limit=500")).body.data.length;
    const cases: Array<[unknown, string, RegExp]> = [
      [{ state: 5 }, "/state", /object of checkpoints/],
      [{ state: { partners: "x" } }, "/state/partners", /checkpoint object, or null/],
      [{ state: { orders: {} } }, "/state/orders", /read no stream "orders"; it read partners/],
      [{ from: {} }, "/from", /unknown property/],
      [[1], "/", /must be an object/],
    ];
    for (const [body, path, message] of cases) {
      const res = await bed.engine.http(`/api/sync/runs/${first.id}/replay`, { method: "POST", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors, JSON.stringify(body)).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
    const broken = await bed.engine.http(`/api/sync/runs/${first.id}/replay`, {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/not valid JSON/);
    expect((await bed.engine.http("/api/sync/runs?limit=500")).body.data.length).toBe(before);
  });
});
