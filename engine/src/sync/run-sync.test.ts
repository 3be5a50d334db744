import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveMapping } from "./mapping-store";
import { runSync } from "./run-sync";
import { openSyncTestBed, orderMapping, type SyncTestBed } from "./testing/sync-test-bed";

let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed();
});
afterAll(() => bed?.close());

const accounts = async () =>
  await bed.services
    .knex("data.account")
    .orderBy("code")
    .select("code", "name", "tier", "credit", "credit__currency", "phone", "version");

describe("pull", () => {
  it("creates records with value maps, money, lookups and units, then finds them unchanged", async () => {
    const { system } = bed;
    system.upsert("partners", {
      CardCode: "C001",
      CardName: "华东建材",
      GroupCode: 100,
      CreditLimit: 50000.5,
      Currency: "CNY",
      Phone1: "021-1",
    });
    system.upsert("partners", {
      CardCode: "C002",
      CardName: "Acme",
      GroupCode: 999,
      CreditLimit: null,
      Currency: null,
      Phone1: null,
    });
    system.upsert("partners", {
      CardCode: "C003",
      CardName: "Nord",
      GroupCode: 101,
      CreditLimit: 10,
      Currency: "EUR",
      Phone1: null,
    });
    system.upsert("orders", { DocNum: "SO-1", CardCode: "C001", WeightTons: 1.25, Comments: "first" });
    const run = await runSync(bed.services, { connection: "erp", streams: ["partners", "orders"] });
    expect(run).toMatchObject({ status: "succeeded", read: 4, created: 4, updated: 0, unchanged: 0, failed: 0 });
    expect(await accounts()).toEqual([
      {
        code: "C001",
        name: "华东建材",
        tier: "gold",
        credit: "50000.5",
        credit__currency: "CNY",
        phone: "021-1",
        version: 1,
      },
      { code: "C002", name: "Acme", tier: "general", credit: null, credit__currency: null, phone: null, version: 1 },
      { code: "C003", name: "Nord", tier: "silver", credit: "10", credit__currency: "EUR", phone: null, version: 1 },
    ]);
    const order = await bed.services.knex("data.sales_order").first();
    const c001 = await bed.services.knex("data.account").where({ code: "C001" }).first("id");
    expect(order).toMatchObject({ number: "SO-1", account: c001.id, weight_kg: "1250" });

    // Incremental: nothing new was read; full: everything read again, all unchanged.
    expect(await runSync(bed.services, { connection: "erp", streams: ["partners"] })).toMatchObject({
      read: 0,
      created: 0,
    });
    const full = await runSync(bed.services, { connection: "erp", streams: ["partners"], full: true });
    expect(full).toMatchObject({ read: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });
  });

  it("updates only what the ERP changed and keeps a ledger row per record", async () => {
    bed.system.upsert("partners", { CardCode: "C002", CardName: "Acme Ltd" });
    const run = await runSync(bed.services, { connection: "erp", streams: ["partners"] });
    expect(run).toMatchObject({ read: 1, updated: 1, created: 0 });
    expect((await accounts())[1]).toMatchObject({ name: "Acme Ltd", version: 2 });
    const ledger = await bed.services.knex("kehu.sync_ledger").where({ run_id: run.id });
    expect(ledger).toMatchObject([{ direction: "pull", external_key: "C002", outcome: "updated", entity: "account" }]);
    expect(ledger[0].source_version).toBe(bed.system.stream("partners").records[1].updatedAt);
    expect(ledger[0].payload_hash).toMatch(/^[0-9a-f]{32}$/);
    const audit = await bed.services.knex("kehu.audit_log").where({ entity: "account", action: "update" }).first();
    expect(audit).toMatchObject({ channel: "sync", actor_login: "sync.erp" });
  });

  it("sends a bad record to the dead letters and goes on with the batch", async () => {
    const { system } = bed;
    system.upsert("orders", { DocNum: "SO-2", CardCode: "C404", WeightTons: 2, Comments: "unknown customer" });
    system.upsert("orders", { DocNum: "SO-3", CardCode: "C002", WeightTons: 0.5, Comments: "fine" });
    system.upsert("partners", { CardCode: "C004", CardName: "x".repeat(101), GroupCode: 100 });
    system.upsert("partners", { CardCode: "C005", CardName: "Fine", GroupCode: 100 });
    const run = await runSync(bed.services, { connection: "erp" });
    expect(run).toMatchObject({ status: "succeeded", read: 4, created: 2, failed: 2 });
    const dead = await bed.services.knex("kehu.sync_dead_letters").where({ run_id: run.id }).orderBy("external_key");
    expect(dead.map((d) => [d.external_key, d.status])).toEqual([
      ["C004", "open"],
      ["SO-2", "open"],
    ]);
    expect(dead[0].reason).toMatch(/^The account record is not valid \(name: .*100/);
    expect(dead[1].reason).toBe('account: no account with code "C404" (from CardCode)');
    expect(dead[1].payload).toMatchObject({ DocNum: "SO-2", CardCode: "C404" });
    expect(await bed.services.knex("data.sales_order").where({ number: "SO-3" }).first()).toBeDefined();

    // Bad in another way when read again: its letter is replaced, one open letter per record with the newer reason.
    system.upsert("partners", { CardCode: "C004", CardName: null });
    const failing = await runSync(bed.services, { connection: "erp", streams: ["partners"] });
    expect(failing).toMatchObject({ created: 0, failed: 1 });
    const letters = await bed.services
      .knex("kehu.sync_dead_letters")
      .where({ external_key: "C004" })
      .orderBy("id")
      .select("id", "run_id", "status", "reason", "replaced_by");
    expect(letters[1].reason).not.toBe(letters[0].reason);
    expect(letters).toEqual([
      { id: letters[0].id, run_id: run.id, status: "replaced", reason: dead[0].reason, replaced_by: letters[1].id },
      {
        id: letters[1].id,
        run_id: failing.id,
        status: "open",
        reason: expect.stringMatching(/name/),
        replaced_by: null,
      },
    ]);

    // Fixed at the source: the next read creates it and closes the dead letter.
    system.upsert("partners", { CardCode: "C004", CardName: "Short now" });
    const again = await runSync(bed.services, { connection: "erp", streams: ["partners"] });
    expect(again).toMatchObject({ created: 1, failed: 0 });
    const closed = await bed.services.knex("kehu.sync_dead_letters").where({ external_key: "C004" }).orderBy("id");
    expect(closed.map((d) => d.status)).toEqual(["replaced", "retried"]);
  });

  it("closes the dead letter of a record the mapping's filter now leaves out, on the next full run", async () => {
    const { knex, registry } = bed.services;
    const open = () => knex("kehu.sync_dead_letters").where({ external_key: "SO-2" }).select("status", "closed_by");
    expect(await open()).toEqual([{ status: "open", closed_by: null }]);
    // The fix: orders of customers unknown to Kehu are left out.
    await saveMapping(knex, registry, { ...orderMapping, filter: "CardCode != 'C404'" });
    const run = await runSync(bed.services, { connection: "erp", streams: ["orders"], full: true });
    expect(run).toMatchObject({ status: "succeeded", failed: 0, skipped: 1 });
    // Every record read is counted once: the left-out one as skipped.
    expect(run.read).toBe(run.created + run.updated + run.unchanged + run.failed + run.skipped);
    expect(await open()).toEqual([{ status: "discarded", closed_by: "sync" }]);
    await saveMapping(knex, registry, orderMapping);
  });

  it("a page whose bulk create breaks a database constraint is written again record by record", async () => {
    const { system, services } = bed;
    // Kehu already holds an unlinked order numbered SO-20: creating the ERP's SO-20 breaks the unique number.
    await services.knex("data.sales_order").insert({ number: "SO-20", note: "typed in Kehu" });
    system.upsert("orders", { DocNum: "SO-20", CardCode: "C001", WeightTons: 1, Comments: "from the ERP" });
    system.upsert("orders", { DocNum: "SO-21", CardCode: "C001", WeightTons: 2, Comments: "fine" });
    const run = await runSync(services, { connection: "erp", streams: ["orders"] });
    expect(run).toMatchObject({ status: "succeeded", read: 2, created: 1, failed: 1 });
    const orders = await services.knex("data.sales_order").whereIn("number", ["SO-20", "SO-21"]).orderBy("number");
    expect(orders.map((o) => [o.number, o.note])).toEqual([
      ["SO-20", "typed in Kehu"],
      ["SO-21", "fine"],
    ]);
    const ledger = await services.knex("kehu.sync_ledger").where({ run_id: run.id }).orderBy("external_key");
    expect(ledger.map((l) => [l.external_key, l.outcome])).toEqual([
      ["SO-20", "failed"],
      ["SO-21", "created"],
    ]);
    const dead = await services.knex("kehu.sync_dead_letters").where({ run_id: run.id });
    expect(dead.map((d) => [d.external_key, d.status])).toEqual([["SO-20", "open"]]);
  });
  it("a page's updates are written together: a refused one fails alone, the others are audited and versioned", async () => {
    const { system, services } = bed;
    system.upsert("partners", { CardCode: "C001", CardName: "华东建材 (new)" });
    system.upsert("partners", { CardCode: "C003", CardName: "z".repeat(101) });
    system.upsert("partners", { CardCode: "C005", CardName: "Fine again" });
    const run = await runSync(services, { connection: "erp", streams: ["partners"] });
    expect(run).toMatchObject({ status: "succeeded", read: 3, updated: 2, failed: 1 });
    const byCode = new Map((await accounts()).map((a) => [a.code, a]));
    expect(byCode.get("C001")).toMatchObject({ name: "华东建材 (new)", version: 2 });
    expect(byCode.get("C003")).toMatchObject({ name: "Nord", version: 1 });
    expect(byCode.get("C005")).toMatchObject({ name: "Fine again", version: 2 });
    const ids = await services.knex("data.account").whereIn("code", ["C001", "C005"]).orderBy("code").pluck("id");
    const audit = await services
      .knex("kehu.audit_log")
      .whereIn("record_id", ids)
      .where({ action: "update" })
      .select("record_id", "changes", "actor_login");
    // One statement writes the page's audit rows: their order follows its plan, not the page's.
    audit.sort((a, b) => ids.indexOf(a.record_id) - ids.indexOf(b.record_id));
    expect(audit).toEqual([
      { record_id: ids[0], changes: { name: { old: "华东建材", new: "华东建材 (new)" } }, actor_login: "sync.erp" },
      { record_id: ids[1], changes: { name: { old: "Fine", new: "Fine again" } }, actor_login: "sync.erp" },
    ]);
    const ledger = await services.knex("kehu.sync_ledger").where({ run_id: run.id }).orderBy("external_key");
    expect(ledger.map((l) => [l.external_key, l.outcome])).toEqual([
      ["C001", "updated"],
      ["C003", "failed"],
      ["C005", "updated"],
    ]);
    const [dead] = await services.knex("kehu.sync_dead_letters").where({ run_id: run.id });
    expect(dead).toMatchObject({ external_key: "C003", status: "open" });
    expect(dead.reason).toMatch(/^The account record is not valid \(name: .*100/);
  });
});

describe("a mapping of a stream the connection does not offer", () => {
  it("saved before the connection was checked, stops its run at once with the streams on offer", async () => {
    const { knex, registry } = bed.services;
    await knex("kehu.sync_connections").where({ name: "erp" }).update({ catalog: null });
    await saveMapping(knex, registry, { ...orderMapping, name: "erp_ghosts", stream: "ghosts" });
    const warned: string[] = [];
    const logger = bed.services.logger;
    bed.services.logger = Object.assign(Object.create(logger), {
      warn: (_o: unknown, msg: string) => warned.push(msg),
    });
    try {
      const run = await runSync(bed.services, { connection: "erp", streams: ["ghosts"] });
      expect(run).toMatchObject({ status: "failed", read: 0 });
      expect(run.error).toBe(
        'Mapping erp_ghosts names stream "ghosts", which connection erp does not offer; it offers: partners, orders',
      );
      expect(warned).toEqual([]);
    } finally {
      bed.services.logger = logger;
      await knex("kehu.sync_mappings").where({ name: "erp_ghosts" }).delete();
    }
  });
});
