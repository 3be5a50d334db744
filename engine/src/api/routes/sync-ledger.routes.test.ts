import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSyncApiBed, type SyncApiBed } from "../../sync/testing/sync-api-bed";

let bed: SyncApiBed;
beforeAll(async () => {
  bed = await openSyncApiBed();
});
afterAll(() => bed?.close());
const http = (...args: Parameters<SyncApiBed["engine"]["http"]>) => bed.engine.http(...args);

describe("GET /api/sync/ledger", () => {
  let first: { id: string };
  let alphaId: string;

  it("shows what a run did with each record: created with its version and hash, failed with the reason", async () => {
    bed.system.upsert("partners", { CardCode: "A1", CardName: "alpha", GroupCode: 100 });
    bed.system.upsert("partners", { CardCode: "A2", CardName: "beta", GroupCode: 101 });
    bed.system.upsert("partners", { CardCode: "A3", CardName: "gamma", Currency: null, CreditLimit: 5 });
    first = await bed.runToEnd();
    const res = await http(`/api/sync/ledger?run=${first.id}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const byKey = Object.fromEntries(res.body.data.map((e: { externalKey: string }) => [e.externalKey, e]));
    expect(Object.keys(byKey).sort()).toEqual(["A1", "A2", "A3"]);
    expect(byKey.A1).toMatchObject({
      runId: first.id,
      direction: "pull",
      connection: "erp",
      stream: "partners",
      mapping: "erp_accounts",
      entity: "account",
      outcome: "created",
      recordId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      payloadHash: expect.any(String),
      message: null,
    });
    expect(new Date(byKey.A1.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(byKey.A3).toMatchObject({ outcome: "failed", recordId: null, message: expect.stringContaining("credit") });
    alphaId = byKey.A1.recordId;
    // Newest first: ids fall down the page.
    const ids = res.body.data.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("follows one record across runs, by CRM id or by external key, newest first", async () => {
    bed.system.upsert("partners", { CardCode: "A1", CardName: "alpha two" });
    const second = await bed.runToEnd();
    const byRecord = await http(`/api/sync/ledger?entity=account&record=${alphaId}`);
    expect(byRecord.body.data.map((e: { runId: string; outcome: string }) => [e.runId, e.outcome])).toEqual([
      [second.id, "updated"],
      [first.id, "created"],
    ]);
    const [updated, created] = byRecord.body.data;
    expect(updated.payloadHash).not.toBe(created.payloadHash);
    const byKey = await http("/api/sync/ledger?connection=erp&stream=partners&externalKey=A1");
    expect(byKey.body.data).toEqual(byRecord.body.data);
    // A pull itemises what it wrote or refused; records it found unchanged are only counted on the run.
    const full = await http("/api/sync/runs", { method: "POST", body: { connection: "erp", full: true } });
    await http(`/api/sync/runs/${full.body.id}/events`);
    const run = (await http(`/api/sync/runs/${full.body.id}`)).body;
    expect(run).toMatchObject({ read: 3, unchanged: 2, failed: 1 });
    const itemised = (await http(`/api/sync/ledger?run=${run.id}`)).body.data;
    expect(itemised.map((e: { externalKey: string; outcome: string }) => [e.externalKey, e.outcome])).toEqual([
      ["A3", "failed"],
    ]);
  });

  it("filters by outcome and direction, and pages with before = nextCursor until it is null", async () => {
    const failed = await http("/api/sync/ledger?outcome=failed");
    expect(failed.body.data.length).toBeGreaterThan(0);
    expect(failed.body.data.every((e: { externalKey: string }) => e.externalKey === "A3")).toBe(true);
    expect((await http("/api/sync/ledger?direction=push")).body.data).toEqual([]);

    const all = (await http("/api/sync/ledger")).body.data.map((e: { id: string }) => e.id);
    const paged: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < all.length + 1; page++) {
      const res = await http(`/api/sync/ledger?limit=2${before ? `&before=${before}` : ""}`);
      paged.push(...res.body.data.map((e: { id: string }) => e.id));
      before = res.body.nextCursor;
      if (!before) break;
    }
    expect(paged).toEqual(all);
  });

  it("refuses parameters it cannot use with a 400 naming them, before any SQL runs", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["/api/sync/ledger?limit=-5", "/limit", /limit must be a whole number from 1 to 1000/],
      ["/api/sync/ledger?limit=abc", "/limit", /limit/],
      ["/api/sync/ledger?run=abc", "/run", /run must be an id/],
      ["/api/sync/ledger?entity=account&record=12", "/record", /record must be an id/],
      ["/api/sync/ledger?record=01a25087-36bd-701e-9340-b3d894659ac5", "/entity", /record needs entity/],
      ["/api/sync/ledger?externalKey=A1&connection=erp", "/stream", /externalKey needs connection and stream/],
      ["/api/sync/ledger?outcome=done", "/outcome", /outcome must be one of created, updated, unchanged/],
      ["/api/sync/ledger?direction=up", "/direction", /pull, push/],
      ["/api/sync/ledger?before=x1", "/before", /nextCursor/],
      ["/api/sync/runs?limit=-5", "/limit", /from 1 to 500/],
      ["/api/sync/runs?status=done", "/status", /running, succeeded, failed, cancelled/],
      ["/api/sync/dead-letters?run=abc", "/run", /run must be an id/],
      ["/api/sync/dead-letters?status=closed", "/status", /open, retried, discarded/],
      ["/api/sync/conflicts?status=zzz", "/status", /open, resolved/],
      ["/api/sync/conflicts?limit=0", "/limit", /limit/],
    ];
    for (const [url, path, detail] of cases) {
      const res = await http(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get("content-type"), url).toMatch(/application\/problem\+json/);
      expect(res.body.detail, url).toMatch(detail);
      expect(res.body.detail, url).not.toMatch(/select|kehu\./i);
      expect(res.body.errors?.[0]?.path, url).toBe(path);
    }
  });

  it("is for administrators only", async () => {
    const res = await http("/api/sync/ledger", { as: bed.clerkToken });
    expect(res.status).toBe(403);
  });
});
