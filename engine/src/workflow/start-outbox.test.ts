import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "./deployments";
import {
  drainStarts,
  MAX_START_ATTEMPTS,
  type QueuedStart,
  queueStart,
  queueStarts,
  START_RETRY_DELAYS_MS,
} from "./start-outbox";
import { bpmnXml, chain } from "./test-bpmn";

let engine: TestEngine;

const knex = () => engine.ctx.db.knex;
const deps = () => engine.ctx.workflows!.deps;
const unsent = async () =>
  Number((await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").count({ n: "*" }))[0].n);
const started = async (key: string) =>
  (await knex()("kehu.wf_instances").where({ key }).select("inputs")).map((r) => (r.inputs as { n: number }).n);

beforeAll(async () => {
  engine = await startTestEngine();
  await deployWorkflow(
    knex(),
    { library: engine.ctx.workflows!.library, registry: engine.ctx.registry },
    { key: "queued", xml: bpmnXml(`<startEvent id="s"/><userTask id="t"/><endEvent id="e"/>${chain("s", "t", "e")}`) },
    "test",
  );
});
afterAll(() => engine?.close());
// Each test leaves no unsent start behind for the next.
afterEach(async () => {
  await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").delete();
});

describe("queued starts", () => {
  it("runs every queued start exactly once, in batches, and leaves none unsent", async () => {
    const starts: QueuedStart[] = Array.from({ length: 23 }, (_, n) => ({
      key: "queued",
      variables: { n },
      actor: "amy",
    }));
    await knex().transaction((trx) => queueStarts(trx, starts));
    expect(await drainStarts(knex(), deps(), 15, 4)).toEqual({ ran: 15, failed: 0 });
    expect(await unsent()).toBe(8);
    expect(await drainStarts(knex(), deps(), 100, 4)).toEqual({ ran: 8, failed: 0 });
    expect(await drainStarts(knex(), deps(), 100, 4)).toEqual({ ran: 0, failed: 0 });
    expect((await started("queued")).sort((a, b) => a - b)).toEqual(starts.map((s) => s.variables.n));
    const tasks = await knex()("kehu.wf_tasks").where({ element_id: "t", status: "open" }).count({ n: "*" });
    expect(Number(tasks[0].n)).toBe(23);
  });

  it("undoes a start that fails alone: its batch's others run, its row stays queued and counts the attempt", async () => {
    await knex().transaction(async (trx) => {
      await queueStart(trx, { key: "queued", variables: { n: 100 }, actor: "amy" });
      await queueStart(trx, { key: "never_deployed", variables: { n: 101 }, actor: "amy" });
      await queueStart(trx, { key: "queued", variables: { n: 102 }, actor: "amy" });
    });
    expect(await drainStarts(knex(), deps(), 100, 10)).toEqual({ ran: 2, failed: 1 });
    expect((await started("queued")).filter((n) => n >= 100).sort()).toEqual([100, 102]);
    expect(await started("never_deployed")).toEqual([]);
    const left = await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at");
    expect(left.map((r) => [r.payload.key, r.attempts, r.failed_at])).toEqual([["never_deployed", 1, null]]);
    // It waits 30 s before its next attempt; the drains meanwhile run the others queued behind it.
    const failedAt = Date.now();
    expect(new Date(left[0].next_attempt_at).getTime()).toBeGreaterThanOrEqual(
      failedAt - 5_000 + START_RETRY_DELAYS_MS[0],
    );
    await knex().transaction((trx) => queueStart(trx, { key: "queued", variables: { n: 103 }, actor: "amy" }));
    expect(await drainStarts(knex(), deps(), 100, 10)).toEqual({ ran: 1, failed: 0 });
    expect((await started("queued")).filter((n) => n >= 100).sort()).toEqual([100, 102, 103]);
    // Once due, a drain tries it again.
    const later = { ...deps(), clock: { now: () => new Date(failedAt + START_RETRY_DELAYS_MS[0] + 1_000) } };
    expect(await drainStarts(knex(), later, 100, 10)).toEqual({ ran: 0, failed: 1 });
  });

  it("runs the starts queued behind a failing one in the same drain, batch after batch", async () => {
    await knex().transaction(async (trx) => {
      await queueStart(trx, { key: "never_deployed", variables: { n: 200 }, actor: "amy" });
      await queueStarts(
        trx,
        [201, 202, 203, 204, 205].map((n) => ({ key: "queued", variables: { n }, actor: "amy" })),
      );
    });
    expect(await drainStarts(knex(), deps(), 100, 2)).toEqual({ ran: 5, failed: 1 });
    expect((await started("queued")).filter((n) => n >= 200).sort()).toEqual([201, 202, 203, 204, 205]);
    expect(await unsent()).toBe(1);
  });

  it("gives a start up after five failed attempts, keeping why, logging each once, and drains skip it then", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const logged = { ...deps(), ctx: { ...engine.ctx, logger } };
    const id = await knex().transaction((trx) =>
      queueStart(trx, { key: "gone_away", variables: { n: 300 }, actor: "amy" }),
    );
    const row = () => knex()("kehu.outbox").where({ id }).first();
    // A clock that moves on as the test says: each attempt is due only after the wait the one before set.
    let now = Date.now();
    const clocked = { ...logged, clock: { now: () => new Date(now) } };
    for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        now += START_RETRY_DELAYS_MS[attempt - 2] - 1_000;
        expect(await drainStarts(knex(), clocked, 100, 10)).toEqual({ ran: 0, failed: 0 });
        now += 1_000;
      }
      expect(await drainStarts(knex(), clocked, 100, 10)).toEqual({ ran: 0, failed: 1 });
      const r = await row();
      expect(r.attempts).toBe(attempt);
      expect(r.last_error).toContain('"gone_away"');
      expect(r.failed_at === null).toBe(attempt < MAX_START_ATTEMPTS);
      expect(r.sent_at).toBeNull();
    }
    expect(lines.map((l) => [l.outboxId, l.key, l.attempts, l.level])).toEqual([
      [id, "gone_away", 1, 40],
      [id, "gone_away", 2, 40],
      [id, "gone_away", 3, 40],
      [id, "gone_away", 4, 40],
      [id, "gone_away", 5, 50],
    ]);
    expect(lines[4].error).toContain('"gone_away"');
    expect(lines[4].msg).toMatch(/given up/);

    // Given up: drains run what is queued after it and no longer touch it.
    await knex().transaction((trx) => queueStart(trx, { key: "queued", variables: { n: 301 }, actor: "amy" }));
    now += 24 * 3_600_000;
    expect(await drainStarts(knex(), clocked, 100, 10)).toEqual({ ran: 1, failed: 0 });
    expect(await drainStarts(knex(), clocked, 100, 10)).toEqual({ ran: 0, failed: 0 });
    expect((await row()).attempts).toBe(MAX_START_ATTEMPTS);
    expect(lines).toHaveLength(5);
    expect(await started("gone_away")).toEqual([]);
  });

  it("runs every start a wake-up stands for past a failing one: 119 of 120, beyond one drain's 100, trying it once", async () => {
    await knex().transaction(async (trx) => {
      await queueStart(trx, { key: "never_deployed", variables: { n: 399 }, actor: "amy" });
      await queueStarts(
        trx,
        Array.from({ length: 119 }, (_, i) => ({ key: "queued", variables: { n: 400 + i }, actor: "amy" })),
      );
    });
    // What the job queue's START_QUEUE worker calls on a wake-up.
    expect(await engine.ctx.workflows!.drainAllStarts()).toEqual({ ran: 119, failed: 1 });
    expect((await started("queued")).filter((n) => n >= 400)).toHaveLength(119);
    const left = await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at");
    expect(left.map((r) => [r.payload.key, r.attempts])).toEqual([["never_deployed", 1]]);
  });
});
