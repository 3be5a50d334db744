import type { SyncMapping } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordStore } from "../records/record-store";
import { deployWorkflow } from "../workflow/deployments";
import { bpmnXml, chain, inputs } from "../workflow/test-bpmn";
import { drainQueuedPushes } from "./queued-pushes";
import { runSync } from "./run-sync";
import { accountMapping, openSyncTestBed, orderMapping, type SyncTestBed } from "./testing/sync-test-bed";

const pushOnly: SyncMapping = { ...accountMapping, direction: "push" };
let bed: SyncTestBed;

beforeAll(async () => {
  bed = await openSyncTestBed([pushOnly, orderMapping]);
  const runtime = bed.engine.ctx.workflows!;
  await deployWorkflow(
    bed.services.knex,
    { library: runtime.library, registry: bed.services.registry },
    {
      key: "hand_to_erp",
      entity: "account",
      xml: bpmnXml(`<startEvent id="s"/>
        <serviceTask id="push" camunda:type="external" camunda:topic="syncPush" camunda:resultVariable="pushed">
          ${inputs({ mapping: "${mapping}", id: "${accountId}" })}</serviceTask>
        <endEvent id="e"/>${chain("s", "push", "e")}`),
    },
    "test",
  );
});
afterAll(() => bed?.close());

const account = (code: string) =>
  new RecordStore(bed.services.knex, bed.services.registry.require("account")).create(
    { code, name: `Account ${code}` },
    "t",
  );
const start = (variables: Record<string, unknown>) =>
  bed.engine.ctx.workflows!.start("hand_to_erp", variables, { actor: "admin" });
const partners = () => bed.system.stream("partners").records;

describe("syncPush", () => {
  it("pushes the record once after the step commits, as a sync run of its own", async () => {
    const a = await account("W1");
    const run = await start({ mapping: "erp_accounts", accountId: a.id });
    expect(run.status).toBe("completed");
    expect(partners()).toHaveLength(0); // queued with the step, not pushed inside it
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    expect(partners()).toEqual([expect.objectContaining({ CardCode: "W1", CardName: "Account W1" })]);
    expect(await drainQueuedPushes(bed.services)).toBe(0);
    expect(partners()).toHaveLength(1);
    const [row] = await bed.services.knex("kehu.outbox").where({ kind: "sync.push" });
    expect(row.sent_at).not.toBeNull();
    const syncRun = await bed.services.knex("kehu.sync_runs").where({ id: row.payload.runId }).first();
    expect(syncRun).toMatchObject({ trigger: "replay", started_by: "workflow:hand_to_erp", status: "succeeded" });
  });

  it("fails the task, queueing nothing, for a mapping that does not exist or only pulls", async () => {
    const a = await account("W2");
    for (const [mapping, message] of [
      ["erp_nothing", 'No sync mapping "erp_nothing"'],
      ["erp_orders", 'Sync mapping "erp_orders" only pulls'],
    ]) {
      const run = await start({ mapping, accountId: a.id });
      expect(run.status).toBe("failed");
      expect(run.error).toContain(message);
    }
    expect(await drainQueuedPushes(bed.services)).toBe(0);
  });

  it("records a push whose record is gone by the time it runs, and moves on", async () => {
    const a = await account("W3");
    await start({ mapping: "erp_accounts", accountId: a.id });
    await bed.services.knex("data.account").where({ id: a.id }).update({ deleted_at: new Date() });
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    const row = await bed.services.knex("kehu.outbox").where({ kind: "sync.push" }).orderBy("id", "desc").first();
    expect(row.payload).toMatchObject({
      status: "failed",
      error: expect.stringContaining(`No account record ${a.id}`),
    });
    expect(partners().some((p) => p.CardCode === "W3")).toBe(false);
  });

  it("tries a push again when its run could not reach the ERP, once the claim expires, and writes it once", async () => {
    const a = await account("W4");
    await start({ mapping: "erp_accounts", accountId: a.id });
    bed.system.writeFaults.push("timeout", "timeout", "timeout");
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    const queued = () => bed.services.knex("kehu.outbox").where({ kind: "sync.push" }).orderBy("id", "desc").first();
    const row = await queued();
    expect(row.sent_at).toBeNull();
    expect(row.payload).toMatchObject({ status: "failed", attempts: 1, error: expect.stringContaining("timeout") });
    expect(await bed.services.knex("kehu.sync_dead_letters").where({ record_id: a.id })).toEqual([]);
    expect(partners().some((p) => p.CardCode === "W4")).toBe(false);
    // Not again while the claim holds; once it expires (10 minutes), the ERP is back.
    expect(await drainQueuedPushes(bed.services)).toBe(0);
    const expired = new Date(Date.now() - 11 * 60_000).toISOString();
    await bed.services
      .knex("kehu.outbox")
      .where({ id: row.id })
      .update({ payload: JSON.stringify({ ...row.payload, claimedAt: expired }) });
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    const sent = await queued();
    expect(sent.sent_at).not.toBeNull();
    expect(sent.payload).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(partners().filter((p) => p.CardCode === "W4")).toHaveLength(1);
  });

  it("leaves a push that met another run of its connection for later, without counting it as an attempt", async () => {
    const a = await account("W5");
    await start({ mapping: "erp_accounts", accountId: a.id });
    const release = bed.system.hold();
    const running = runSync(bed.services, { connection: "erp" });
    try {
      expect(await drainQueuedPushes(bed.services)).toBe(1);
    } finally {
      release();
    }
    await running;
    const row = await queued();
    expect(row.sent_at).toBeNull();
    expect(row.payload).toMatchObject({
      status: "waiting",
      attempts: 0,
      error: expect.stringMatching(/already running/),
    });
    await expireClaim(row);
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    expect((await queued()).payload).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(partners().filter((p) => p.CardCode === "W5")).toHaveLength(1);
  });

  it("closes a push as failed, tried once, when the ERP refused the login, and after its last attempt", async () => {
    const a = await account("W6");
    await start({ mapping: "erp_accounts", accountId: a.id });
    bed.system.writeFaults.push("login_refused");
    const calls = bed.system.writeCalls.length;
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    const refused = await queued();
    expect(refused.sent_at).not.toBeNull();
    expect(refused.payload).toMatchObject({
      status: "failed",
      attempts: 1,
      error: expect.stringMatching(/^Login failed/),
    });
    // One login, not one per attempt: a refused login is not tried again.
    expect(bed.system.writeCalls.length).toBe(calls + 1);
    await expireClaim(refused);
    expect(await drainQueuedPushes(bed.services)).toBe(0);

    const b = await account("W7");
    await start({ mapping: "erp_accounts", accountId: b.id });
    const row = await queued();
    await bed.services
      .knex("kehu.outbox")
      .where({ id: row.id })
      .update({ payload: JSON.stringify({ ...row.payload, attempts: 11 }) });
    bed.system.writeFaults.push("timeout", "timeout", "timeout");
    expect(await drainQueuedPushes(bed.services)).toBe(1);
    const gaveUp = await queued();
    expect(gaveUp.sent_at).not.toBeNull();
    expect(gaveUp.payload).toMatchObject({ status: "failed", attempts: 12, error: expect.stringContaining("timeout") });
    const run = await bed.services.knex("kehu.sync_runs").where({ id: gaveUp.payload.runId }).first();
    expect(run).toMatchObject({ status: "failed", started_by: "workflow:hand_to_erp" });
  });
});

const queued = () => bed.services.knex("kehu.outbox").where({ kind: "sync.push" }).orderBy("id", "desc").first();
const expireClaim = (row: { id: string; payload: Record<string, unknown> }) =>
  bed.services
    .knex("kehu.outbox")
    .where({ id: row.id })
    .update({
      payload: JSON.stringify({ ...row.payload, claimedAt: new Date(Date.now() - 11 * 60_000).toISOString() }),
    });
