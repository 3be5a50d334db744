import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccess } from "../security/load-access";
import { SYSTEM_PRINCIPAL } from "../security/principal";
import { bulkSecurityOf, recordHooksOf } from "../security/record-hooks";
import { defineEntities } from "../testing/define-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { bulkPatchById } from "./bulk-patch";
import type { BulkSecurity } from "./bulk-upsert";
import { type RecordChange, RecordStore } from "./record-store";

// Patching many records by id tells audit and record-change listeners what single updates would, in one call.
let engine: TestEngine;
const knex = () => engine.ctx.db.knex;

const deal: EntityDefinition = {
  name: "deal",
  fields: [
    { name: "code", type: "text", unique: true },
    { name: "stage", type: "enum", values: ["open", "won"], default: "open" },
    { name: "amount", type: "decimal" },
    { name: "double", type: "formula", expression: "amount * 2", resultType: "decimal" },
  ],
};

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [deal]);
});
afterAll(() => engine?.close());

describe("bulkPatchById", () => {
  it("writes the valid patches at their versions, audits and tells each, and refuses the others alone", async () => {
    const store = new RecordStore(knex(), deal);
    const [a, b, c, d] = await Promise.all(
      ["D1", "D2", "D3", "D4"].map((code, i) => store.create({ code, amount: String(i + 1) }, "amy")),
    );
    const audited: Array<{ id: string; before: unknown; after: unknown }> = [];
    const heard: RecordChange[][] = [];
    const security: BulkSecurity = {
      audit: async (_trx, changes) => {
        audited.push(...changes);
      },
      wantsChange: async (_knex, action) => action === "update",
      changed: async (_trx, changes) => {
        heard.push(changes);
      },
    };
    const outcomes = await knex().transaction((trx) =>
      bulkPatchById(
        trx,
        deal,
        [
          { id: a.id as string, patch: { stage: "won" }, version: 1, before: a },
          { id: b.id as string, patch: { stage: "lost" }, version: 1, before: b },
          { id: c.id as string, patch: { amount: "30" }, version: 1, before: c },
          { id: d.id as string, patch: { amount: "40" }, version: 7, before: d },
        ],
        security,
      ),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
    expect(outcomes[1]).toMatchObject({ ok: false, issues: [{ path: "/stage" }] });
    expect((outcomes[1] as { message: string }).message).toMatch(/^The deal record is not valid \(stage: /);
    expect(await store.get(a.id as string)).toMatchObject({ stage: "won", amount: "1", version: 2 });
    expect(await store.get(b.id as string)).toMatchObject({ stage: "open", version: 1 });
    expect(await store.get(c.id as string)).toMatchObject({ amount: "30", double: "60", version: 2 });
    expect(await store.get(d.id as string)).toMatchObject({ amount: "4", version: 1 });
    expect(audited.map((x) => x.id)).toEqual([a.id, c.id]);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toEqual([
      { action: "update", id: a.id, before: a, after: await store.get(a.id as string) },
      { action: "update", id: c.id, before: c, after: await store.get(c.id as string) },
    ]);
  });

  it("refuses a second patch of the same record in one call instead of reporting it written", async () => {
    const store = new RecordStore(knex(), deal);
    const e = await store.create({ code: "D5", amount: "5" }, "amy");
    const outcomes = await knex().transaction((trx) =>
      bulkPatchById(
        trx,
        deal,
        [
          { id: e.id as string, patch: { amount: "50" }, version: 1, before: e },
          { id: e.id as string, patch: { amount: "500" }, version: 1, before: e },
        ],
        {},
      ),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect((outcomes[1] as { message: string }).message).toMatch(/patched twice/);
    expect(await store.get(e.id as string)).toMatchObject({ amount: "50", version: 2 });
  });

  it("audits a formula when, and only when, its inputs changed, in a single update and a set-wise one alike", async () => {
    const access = await loadAccess(engine.ctx, SYSTEM_PRINCIPAL);
    const store = new RecordStore(knex(), deal, [], recordHooksOf(access, deal));
    const [single, other, bulkA, bulkB] = await Promise.all(
      ["F1", "F2", "F3", "F4"].map((code) => store.create({ code, amount: "5" }, "amy")),
    );
    await store.update(single.id as string, { amount: "6" }, 1);
    await store.update(other.id as string, { stage: "won" }, 1);
    await knex().transaction((trx) =>
      bulkPatchById(
        trx,
        deal,
        [
          { id: bulkA.id as string, patch: { amount: "6" }, version: 1, before: bulkA },
          // The caller's copy without formula values, as the sync runner's read of the stored row is.
          { id: bulkB.id as string, patch: { stage: "won" }, version: 1, before: { ...bulkB, double: undefined } },
        ],
        bulkSecurityOf(access, deal),
      ),
    );
    const changesOf = async (id: unknown) =>
      (await knex()("kehu.audit_log").where({ record_id: id, action: "update" }).first("changes")).changes;
    const inputChanged = { amount: { old: "5", new: "6" }, double: { old: "10", new: "12" } };
    expect(await changesOf(single.id)).toEqual(inputChanged);
    expect(await changesOf(bulkA.id)).toEqual(inputChanged);
    expect(await changesOf(other.id)).toEqual({ stage: { old: "open", new: "won" } });
    expect(await changesOf(bulkB.id)).toEqual({ stage: { old: "open", new: "won" } });
  });
});
