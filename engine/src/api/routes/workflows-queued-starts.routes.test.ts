import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, startTestEngine, type TestEngine } from "../../testing";
import { MAX_START_ATTEMPTS, queueStart } from "../../workflow/start-outbox";
import { bpmnXml, chain } from "../../workflow/test-bpmn";

let engine: TestEngine;
let rexToken: string;
const knex = () => engine.ctx.db.knex;
const recordId = randomUUID();
const problem = "application/problem+json";

beforeAll(async () => {
  engine = await startTestEngine();
  rexToken = (await createTestUser(engine.ctx, { login: "rex" })).token;
});
afterAll(() => engine?.close());

describe("queued workflow starts that keep failing (administrators)", () => {
  let id: string;

  it("lists a start given up after repeated failures, with why, and no longer as pending", async () => {
    id = await knex().transaction((trx) =>
      queueStart(trx, { key: "late_review", variables: {}, entity: "deal", recordId, actor: "amy" }),
    );
    // Each attempt an hour after the one before: past the wait a failed attempt sets.
    const runtime = engine.ctx.workflows!;
    const realClock = runtime.clock;
    let now = Date.now();
    runtime.clock = { now: () => new Date(now) };
    try {
      for (let n = 0; n < MAX_START_ATTEMPTS; n++, now += 3_600_000) await runtime.drainStarts();
    } finally {
      runtime.clock = realClock;
    }

    const failed = await engine.http("/api/workflows/queued-starts?status=failed");
    expect(failed.status).toBe(200);
    expect(failed.body.data).toEqual([
      {
        id,
        key: "late_review",
        entity: "deal",
        recordId,
        attempts: MAX_START_ATTEMPTS,
        lastError: expect.stringContaining('"late_review"'),
        createdAt: expect.any(String),
        failedAt: expect.any(String),
        nextAttemptAt: null,
      },
    ]);
    expect((await engine.http("/api/workflows/queued-starts")).body.data.map((s: { id: string }) => s.id)).toEqual([
      id,
    ]);
    expect((await engine.http("/api/workflows/queued-starts?status=pending")).body.data).toEqual([]);
  });

  it("refuses others than administrators, and a status it does not know", async () => {
    const refused = await engine.http("/api/workflows/queued-starts?status=failed", { as: rexToken });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe(problem);
    const retry = await engine.http(`/api/workflows/queued-starts/${id}/retry`, { method: "POST", as: rexToken });
    expect(retry.status).toBe(403);
    const bad = await engine.http("/api/workflows/queued-starts?status=dead");
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: "/status", message: "unknown status" }]);
  });

  it("says why a retry failed again, and counts it as the first attempt of a fresh round", async () => {
    const res = await engine.http(`/api/workflows/queued-starts/${id}/retry`, { method: "POST" });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe(problem);
    expect(res.body.detail).toContain('"late_review"');
    const pending = (await engine.http("/api/workflows/queued-starts?status=pending")).body.data;
    expect(
      pending.map((s: { id: string; attempts: number; failedAt: null }) => [s.id, s.attempts, s.failedAt]),
    ).toEqual([[id, 1, null]]);
  });

  it("retries once the workflow is deployed: exactly one instance, and the row is sent", async () => {
    const xml = bpmnXml(`<startEvent id="s"/><userTask id="t"/><endEvent id="e"/>${chain("s", "t", "e")}`);
    const deployed = await engine.http("/api/workflows/deployments", {
      method: "POST",
      body: { key: "late_review", xml },
    });
    expect(deployed.status).toBe(201);
    const res = await engine.http(`/api/workflows/queued-starts/${id}/retry`, { method: "POST" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const instances = await knex()("kehu.wf_instances").where({ key: "late_review" }).select("id", "record_id");
    expect(instances).toEqual([{ id: res.body.instanceId, record_id: recordId }]);
    const row = await knex()("kehu.outbox").where({ id }).first();
    expect(row.sent_at).not.toBeNull();
    expect([row.attempts, row.failed_at]).toEqual([0, null]);
    // Sent: no drain runs it again, and it is listed nowhere.
    expect(await engine.ctx.workflows!.drainStarts()).toEqual({ ran: 0, failed: 0 });
    expect((await engine.http("/api/workflows/queued-starts?status=failed")).body.data).toEqual([]);
    expect((await engine.http("/api/workflows/queued-starts?status=pending")).body.data).toEqual([]);
  });

  it("refuses to retry a start that already ran (409), or one that does not exist (404)", async () => {
    const again = await engine.http(`/api/workflows/queued-starts/${id}/retry`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe(problem);
    expect(await knex()("kehu.wf_instances").where({ key: "late_review" }).count({ n: "*" })).toEqual([{ n: 1 }]);
    for (const unknown of ["999999999", "abc", "99999999999999999999"]) {
      const res = await engine.http(`/api/workflows/queued-starts/${unknown}/retry`, { method: "POST" });
      expect(res.status, unknown).toBe(404);
      expect(res.headers.get("content-type")).toBe(problem);
    }
  });
});
