import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { openMetadataTestContext } from "../metadata/test-kit";
import { RecordStore } from "../records/record-store";
import { routineName } from "./routine-names";

const contract: EntityDefinition = {
  name: "contract",
  fields: [
    { name: "number", type: "autonumber", pattern: "HT-{YYYY}-{0000}" },
    { name: "title", type: "text" },
  ],
};
let ctx: EngineContext & { close(): Promise<void> };
const year = new Date().getUTCFullYear();
const numbers = async (entity = "contract", field = "number") =>
  (await ctx.db.knex(`data.${entity}`).orderBy(field).pluck(field)) as string[];

beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await applyEntities(ctx, [contract], { actor: "t" });
});
afterAll(() => ctx.close());

describe("autonumber", () => {
  it("numbers inserts per period, leaves no gap after a rollback, and widens past the padding", async () => {
    const store = new RecordStore(ctx.db.knex, ctx.registry.require("contract"));
    expect((await store.create({ title: "a" }, "t")).number).toBe(`HT-${year}-0001`);
    await ctx.db.knex
      .transaction(async (trx) => {
        await new RecordStore(trx, ctx.registry.require("contract")).create({ title: "gone" }, "t");
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect((await store.create({ title: "b" }, "t")).number).toBe(`HT-${year}-0002`);
    const next = `kehu."${routineName("autonumber", "contract", "number")}"`;
    const other = await ctx.db.knex.raw(`SELECT ${next}('2023-05-01 10:00') AS n`);
    expect(other.rows[0].n).toBe("HT-2023-0001");
    await ctx.db
      .knex("kehu.autonumber_counters")
      .where({ entity: "contract", field: "number", period: String(year) })
      .update({ value: 9999 });
    expect((await store.create({ title: "c" }, "t")).number).toBe(`HT-${year}-10000`);
  });

  it("numbers the existing rows, oldest first, when the field is added later", async () => {
    const order: EntityDefinition = { name: "purchase", fields: [{ name: "title", type: "text" }] };
    await applyEntities(ctx, [order], { actor: "t" });
    for (const [i, title] of ["first", "second", "third"].entries())
      await ctx.db.knex("data.purchase").insert({ title, created_at: `2024-0${i + 1}-15T00:00:00Z` });
    const numbered = {
      ...order,
      fields: [...order.fields, { name: "no", type: "autonumber" as const, pattern: "P{YY}{MM}-{00}" }],
    };
    await applyEntities(ctx, [numbered], { actor: "t" });
    const rows = await ctx.db.knex("data.purchase").orderBy("created_at").select("title", "no");
    expect(rows).toEqual([
      { title: "first", no: "P2401-01" },
      { title: "second", no: "P2402-01" },
      { title: "third", no: "P2403-01" },
    ]);
  });

  it("gives 200 concurrent inserts over 10 connections the numbers 1..200, no gap and no duplicate, despite rollbacks", async () => {
    const table = { name: "ticket", fields: [{ name: "no", type: "autonumber", pattern: "{0}" }] } as EntityDefinition;
    await applyEntities(ctx, [table], { actor: "t" });
    let committed = 0;
    const worker = async (w: number) => {
      for (let i = 0; i < 22; i++) {
        const rollBack = i % 11 === 5; // two rolled-back inserts per worker, in between the others
        await ctx.db.knex
          .transaction(async (trx) => {
            await trx("data.ticket").insert({ created_by: `w${w}` });
            await new Promise((r) => setTimeout(r, Math.random() * 3));
            if (rollBack) throw new Error("roll back");
          })
          .then(() => committed++)
          .catch(() => undefined);
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, w) => worker(w)));
    expect(committed).toBe(200);
    const got = (await numbers("ticket", "no")).map(Number).sort((a, b) => a - b);
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});
