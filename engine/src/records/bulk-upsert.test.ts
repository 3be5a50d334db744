import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { testBackend } from "../testing/test-database";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { type BulkSecurity, bulkUpsert } from "./bulk-upsert";
import { type RecordChange, RecordStore } from "./record-store";

// A bulk write tells record-change listeners (workflow triggers) what a single write would, in one call.
let engine: TestEngine;
const knex = () => engine.ctx.db.knex;

const account: EntityDefinition = {
  name: "account",
  fields: [
    { name: "code", type: "text", unique: true },
    { name: "stage", type: "enum", values: ["open", "won"], default: "open" },
    { name: "amount", type: "decimal" },
    { name: "double", type: "formula", expression: "amount * 2", resultType: "decimal" },
  ],
};

function listening(wants: Array<"create" | "update">): { security: BulkSecurity; heard: RecordChange[][] } {
  const heard: RecordChange[][] = [];
  return {
    heard,
    security: {
      wantsChange: async (_knex, action) => wants.includes(action),
      changed: async (_trx, changes) => {
        heard.push(changes);
      },
    },
  };
}

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [account]);
});
afterAll(() => engine?.close());

describe("bulk writes and record-change listeners", () => {
  it("tells a listener of every created and updated record at once, as single writes would tell it", async () => {
    const store = new RecordStore(knex(), account);
    const first = listening(["create", "update"]);
    const created = await bulkUpsert(
      knex(),
      account,
      [
        { code: "A1", amount: "10" },
        { code: "A2", amount: "20" },
      ],
      {},
      "amy",
      first.security,
    );
    expect(first.heard).toHaveLength(1);
    expect(first.heard[0]).toEqual(
      await Promise.all(
        created.ids.map(async (id) => ({ action: "create", id, before: null, after: await store.get(id!) })),
      ),
    );
    expect(first.heard[0][0].after).toMatchObject({ code: "A1", stage: "open", double: "20" });

    // A single write's `before` is the stored row (formulas are not read for it), so only stored fields compare.
    const { double: _, ...before } = await store.get(created.ids[0]!);
    const second = listening(["create", "update"]);
    const upserted = await bulkUpsert(
      knex(),
      account,
      [
        { code: "A1", stage: "won", amount: "15" },
        { code: "A3", amount: "30" },
      ],
      { upsertBy: "code" },
      "amy",
      second.security,
    );
    expect(second.heard).toEqual([
      [
        {
          action: "update",
          id: upserted.ids[0],
          before: expect.objectContaining(before),
          after: await store.get(upserted.ids[0]!),
        },
        { action: "create", id: upserted.ids[1], before: null, after: await store.get(upserted.ids[1]!) },
      ],
    ]);
    expect(second.heard[0][0].after).toMatchObject({ stage: "won", double: "30", version: 2 });
  });

  it("tells nothing of an action no listener wants", async () => {
    const none = listening([]);
    await bulkUpsert(knex(), account, [{ code: "N1" }, { code: "A2", amount: "21" }], { upsertBy: "code" }, "amy", {
      ...none.security,
    });
    expect(none.heard).toEqual([]);
    const updatesOnly = listening(["update"]);
    const res = await bulkUpsert(
      knex(),
      account,
      [{ code: "N2" }, { code: "A2", amount: "22" }],
      { upsertBy: "code" },
      "amy",
      updatesOnly.security,
    );
    expect(updatesOnly.heard.map((changes) => changes.map((c) => [c.action, c.id, c.before?.amount]))).toEqual([
      [["update", res.ids[1], "21"]],
    ]);
  });

  it("writes nothing when the listener fails", async () => {
    const failing: BulkSecurity = {
      changed: async () => {
        throw new Error("trigger broke");
      },
    };
    await expect(bulkUpsert(knex(), account, [{ code: "F1" }], {}, "amy", failing)).rejects.toThrow("trigger broke");
    expect(await knex()("data.account").where({ code: "F1" })).toEqual([]);
  });

  // PGlite serves one connection at a time: two writers at once need a server.
  it.skipIf(testBackend !== "postgres")(
    "gives a listener the value the write replaced when another write changed the record meanwhile",
    async () => {
      const store = new RecordStore(knex(), account);
      await store.create({ code: "R1", stage: "open" }, "amy");
      const { security, heard } = listening(["update"]);
      let bulk: Promise<unknown> | undefined;
      await knex().transaction(async (trx) => {
        await trx("data.account").where({ code: "R1" }).update({ stage: "won" });
        // The bulk write reads R1 as still open, then waits for this transaction's row lock.
        bulk = bulkUpsert(knex(), account, [{ code: "R1", stage: "won" }], { upsertBy: "code" }, "bob", security);
        await new Promise((r) => setTimeout(r, 300));
      });
      await bulk;
      expect(heard.flat().map((c) => [c.before?.stage, c.after.stage])).toEqual([["won", "won"]]);
    },
  );
});
