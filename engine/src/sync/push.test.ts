import type { SyncMapping } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordStore } from "../records/record-store";
import { saveConnection } from "./connection-store";
import { retryDeadLetter } from "./replay";
import { runSync } from "./run-sync";
import { accountMapping, openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

const pushOnly: SyncMapping = { ...accountMapping, direction: "push" };
let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed([pushOnly]);
});
afterAll(() => bed?.close());

const store = () => new RecordStore(bed.services.knex, bed.services.registry.require("account"));
const partners = () => bed.system.stream("partners").records;

describe("push", () => {
  it("writes new CRM records once, with an idempotency key per version, even when a response is lost", async () => {
    const a = await store().create(
      { code: "P1", name: "Alpha", tier: "gold", credit: { amount: "12.50", currency: "USD" } },
      "t",
    );
    await store().create({ code: "P2", name: "Beta" }, "t");
    bed.system.writeFaults.push("lost_response", "timeout", "retryable");
    // Three failures in a row: a fourth attempt (a run someone waits for makes three) writes them.
    const run = await runSync(bed.services, { connection: "erp", retry: { attempts: 4 } });
    expect(run).toMatchObject({ status: "succeeded", read: 2, created: 2, failed: 0 });
    expect(partners()).toHaveLength(2);
    expect(partners().find((p) => p.CardCode === "P1")).toMatchObject({
      CardName: "Alpha",
      GroupCode: "100",
      CreditLimit: 12.5,
      Currency: "USD",
    });
    // Four calls (lost, timed out, 503, done), every one with the same keys.
    const keys = bed.system.writeCalls.map((call) => call.map((w) => w.idempotencyKey));
    expect(keys).toHaveLength(4);
    expect(new Set(keys.map((k) => k.join()))).toEqual(new Set([keys[0].join()]));
    expect(keys[0]).toContain(`kehu:account:${a.id}:1`);
    const ledger = await bed.services
      .knex("kehu.sync_ledger")
      .where({ run_id: run.id, direction: "push" })
      .orderBy("external_key");
    expect(ledger.map((l) => [l.external_key, l.outcome, l.idempotency_key])).toEqual([
      ["P1", "created", `kehu:account:${a.id}:1`],
      ["P2", "created", expect.stringMatching(/^kehu:account:.*:1$/)],
    ]);
  });

  it("pushes a change as an update of the linked record, and nothing when nothing changed", async () => {
    const row = await bed.services.knex("data.account").where({ code: "P2" }).first();
    await store().update(row.id, { phone: "010-2" }, undefined);
    bed.system.writeCalls.length = 0;
    const run = await runSync(bed.services, { connection: "erp" });
    expect(run).toMatchObject({ read: 1, updated: 1, created: 0 });
    expect(bed.system.writeCalls[0][0]).toMatchObject({
      externalKey: "P2",
      idempotencyKey: `kehu:account:${row.id}:2`,
    });
    expect(partners().find((p) => p.CardCode === "P2")).toMatchObject({ Phone1: "010-2" });
    expect(await runSync(bed.services, { connection: "erp" })).toMatchObject({ read: 0 });
  });

  it("dead-letters a record the ERP refuses, with its latest reason, and goes on", async () => {
    bed.system.reject = (r) => (r.CardName === "Bad" ? "Business partner code already assigned" : undefined);
    await store().create({ code: "P3", name: "Bad" }, "t");
    await store().create({ code: "P4", name: "Good" }, "t");
    const run = await runSync(bed.services, { connection: "erp", retry: { attempts: 2 } });
    expect(run).toMatchObject({ created: 1, failed: 1 });
    const dead = await bed.services.knex("kehu.sync_dead_letters").where({ run_id: run.id });
    expect(dead).toMatchObject([
      { direction: "push", reason: "Business partner code already assigned", status: "open" },
    ]);
    // An open dead letter of the same version is not pushed again by every run.
    expect(await runSync(bed.services, { connection: "erp" })).toMatchObject({ read: 0 });
    // Refused again, for another reason, once the record changed.
    bed.system.reject = (r) => (r.CardName === "Bad again" ? "Business partner name is blocked" : undefined);
    const row = await bed.services.knex("data.account").where({ code: "P3" }).first();
    await store().update(row.id, { name: "Bad again" }, undefined);
    const failing = await runSync(bed.services, { connection: "erp", retry: { attempts: 2 } });
    expect(failing).toMatchObject({ status: "succeeded", failed: 1 });
    expect((await bed.services.knex("kehu.sync_dead_letters").where({ run_id: failing.id }).first()).reason).toBe(
      "Business partner name is blocked",
    );
    bed.system.reject = undefined;
    // The letter of the version before is replaced: one open letter per record, with the latest reason.
    const letters = await bed.services
      .knex("kehu.sync_dead_letters")
      .where({ record_id: row.id })
      .orderBy("id")
      .select("id", "run_id", "status", "reason", "replaced_by");
    expect(letters).toEqual([
      {
        id: letters[0].id,
        run_id: run.id,
        status: "replaced",
        reason: "Business partner code already assigned",
        replaced_by: letters[1].id,
      },
      {
        id: letters[1].id,
        run_id: failing.id,
        status: "open",
        reason: "Business partner name is blocked",
        replaced_by: null,
      },
    ]);

    // A retry whose run fails before it reaches the record (here: the password's variable is not set) keeps the
    // letter open: the record still waits to be pushed.
    const letter = await bed.services.knex("kehu.sync_dead_letters").where({ run_id: failing.id }).first();
    await saveConnection(bed.services, {
      name: "erp",
      connector: "memory",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ENV} reference
      config: { baseUrl: "http://erp.test", password: "${ERP_PASSWORD_NOT_SET}" },
    });
    try {
      const retried = await retryDeadLetter(bed.services, String(letter.id), "amy");
      expect(retried.run).toMatchObject({ status: "failed", error: expect.stringMatching(/ERP_PASSWORD_NOT_SET/) });
      expect(retried.deadLetter).toMatchObject({ id: Number(letter.id), status: "open" });
    } finally {
      await saveConnection(bed.services, {
        name: "erp",
        connector: "memory",
        config: { baseUrl: "http://erp.test", password: "s3cret" },
      });
    }
    const retried = await retryDeadLetter(bed.services, String(letter.id), "amy");
    expect(retried).toMatchObject({
      run: { status: "succeeded", created: 1, failed: 0 },
      deadLetter: { status: "retried", replacedBy: null },
    });
    // The replaced letter stays replaced: a retry went through, no one retried that one.
    const statuses = await bed.services.knex("kehu.sync_dead_letters").where({ record_id: row.id }).orderBy("id");
    expect(statuses.map((d) => d.status)).toEqual(["replaced", "retried"]);
  });

  it("fails the run when the ERP cannot be reached, dead-letters nothing, and the next run pushes the record", async () => {
    await store().create({ code: "P5", name: "Pushed after the outage" }, "t");
    const openBefore = await bed.services.knex("kehu.sync_dead_letters").where({ status: "open" }).count();
    bed.system.writeFaults.push("timeout", "timeout");
    const failed = await runSync(bed.services, { connection: "erp", retry: { attempts: 2 } });
    expect(failed).toMatchObject({
      status: "failed",
      failed: 0,
      error: "timeout after 30000 ms (push of partners stopped: 1 record waits for the next run, no dead letters)",
    });
    expect(await bed.services.knex("kehu.sync_dead_letters").where({ run_id: failed.id })).toEqual([]);
    expect(await bed.services.knex("kehu.sync_dead_letters").where({ status: "open" }).count()).toEqual(openBefore);
    expect(partners().find((p) => p.CardCode === "P5")).toBeUndefined();
    // The ERP is back: the next run finds the record still due and pushes it.
    expect(await runSync(bed.services, { connection: "erp" })).toMatchObject({ status: "succeeded", created: 1 });
    expect(partners().filter((p) => p.CardCode === "P5")).toHaveLength(1);
  });

  it("dead-letters a record the ERP fails on every attempt while it takes the others, and the run goes on", async () => {
    const a = await store().create({ code: "P6", name: "Before the poison" }, "t");
    const poison = await store().create({ code: "P7", name: "Poison" }, "t");
    const b = await store().create({ code: "P8", name: "After the poison" }, "t");
    bed.system.pageSize = 10;
    bed.system.failRetryably = (r) =>
      r.CardName === "Poison" ? "500 Internal error (-1) on this document" : undefined;
    try {
      const run = await runSync(bed.services, { connection: "erp", retry: { attempts: 2 } });
      expect(run).toMatchObject({ status: "succeeded", created: 2, failed: 1, error: null });
      expect(await bed.services.knex("kehu.sync_dead_letters").where({ run_id: run.id })).toMatchObject([
        { direction: "push", record_id: poison.id, status: "open", reason: "500 Internal error (-1) on this document" },
      ]);
      expect(partners().filter((p) => ["P6", "P7", "P8"].includes(p.CardCode as string))).toHaveLength(2);
      // The next run pushes nothing twice: a and b are linked, the poison waits in its dead letter.
      const calls = bed.system.writeCalls.length;
      expect(await runSync(bed.services, { connection: "erp" })).toMatchObject({ status: "succeeded", read: 0 });
      expect(bed.system.writeCalls.length).toBe(calls);
      const links = await bed.services.knex("kehu.sync_links").whereIn("record_id", [String(a.id), String(b.id)]);
      expect(links).toHaveLength(2);
    } finally {
      bed.system.failRetryably = undefined;
      bed.system.pageSize = 2;
    }
  });
});
