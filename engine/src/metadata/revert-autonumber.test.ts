import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "./apply-entities";
import { deleteEntity } from "./delete-entity";
import { revertRevision } from "./revert-revision";
import { insertRows, openMetadataTestContext } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
});
afterAll(() => ctx.close());

const YEAR = new Date().getUTCFullYear();
const contract = (name: string, pattern: string): EntityDefinition => ({
  name,
  fields: [
    { name: "name", type: "text", required: true },
    { name: "number", type: "autonumber", pattern },
  ],
});
const numbers = async (entity: string, field = "number") =>
  (await ctx.db.knex(`data.${entity}`).orderBy(field).pluck(field)) as string[];
const add = (entity: string, ...names: string[]) =>
  insertRows(
    ctx,
    entity,
    names.map((name) => ({ name })),
  );
const counters = async (entity: string) =>
  (await ctx.db.knex("kehu.autonumber_counters").where({ entity }).orderBy(["field", "period"])).map((c) => [
    c.field,
    c.period,
    Number(c.value),
  ]);
const renamed = (entity: string, from: string, to: string) => {
  const next = structuredClone(ctx.registry.require(entity));
  for (const f of next.fields) if (f.name === from) f.name = to;
  return next;
};

describe("autonumbers stay unique across renames, drops, deletions and their reverts", () => {
  it("a renamed autonumber field continues its numbers, and so does the revert of the rename", async () => {
    await applyEntities(ctx, [contract("contract", "HT-{YYYY}-{0000}")], { actor: "alice" });
    await add("contract", "a", "b");
    const [rename] = (await applyEntities(ctx, [renamed("contract", "number", "contract_no")], { actor: "alice" }))
      .revisions;
    await add("contract", "c", "d");
    expect(await numbers("contract", "contract_no")).toEqual([1, 2, 3, 4].map((n) => `HT-${YEAR}-000${n}`));
    await revertRevision(ctx, rename, { actor: "bob" });
    await add("contract", "e");
    expect(await numbers("contract")).toEqual([1, 2, 3, 4, 5].map((n) => `HT-${YEAR}-000${n}`));
    expect(await counters("contract")).toContainEqual(["number", String(YEAR), 5]);
  });

  it("a reverted entity deletion numbers on after the restored rows, even when its counter is behind them", async () => {
    await applyEntities(ctx, [contract("quote", "Q{00}")], { actor: "alice" });
    await add("quote", "a", "b", "c");
    const deleted = await deleteEntity(ctx, "quote", { actor: "alice", confirm: true });
    // The counter knows fewer numbers than the archive holds (as when it was lost or never saw them).
    await ctx.db.knex("kehu.autonumber_counters").where({ entity: "quote" }).update({ value: 1 });
    await revertRevision(ctx, deleted.revision!, { actor: "bob" });
    await add("quote", "d");
    expect(await numbers("quote")).toEqual(["Q01", "Q02", "Q03", "Q04"]);
  });

  it("a dropped autonumber field brought back by a revert keeps its numbers and counters per period", async () => {
    await applyEntities(ctx, [contract("order_form", "D.{YYYY}/{MM}-{00}")], { actor: "alice" });
    await add("order_form", "a", "b");
    // A number of an earlier period, soft-deleted: it stays taken.
    await ctx.db
      .knex("data.order_form")
      .insert({ name: "old", number: "D.2019/03-07", deleted_at: "2019-03-31T00:00:00Z" });
    const [dropped] = (
      await applyEntities(ctx, [{ name: "order_form", fields: [{ name: "name", type: "text", required: true }] }], {
        actor: "alice",
        confirm: true,
      })
    ).revisions;
    await ctx.db.knex("kehu.autonumber_counters").where({ entity: "order_form" }).del();
    await add("order_form", "while dropped");
    await revertRevision(ctx, dropped, { actor: "bob" });
    await add("order_form", "after");
    const month = String(new Date().getUTCMonth() + 1).padStart(2, "0");
    const now = (n: number) => `D.${YEAR}/${month}-0${n}`;
    expect(await numbers("order_form")).toEqual(["D.2019/03-07", now(1), now(2), now(3), now(4)]);
    expect(await counters("order_form")).toEqual([
      ["number", "2019-03", 7],
      ["number", `${YEAR}-${month}`, 4],
    ]);
  });
});
