import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "./apply-entities";
import { deleteEntity } from "./delete-entity";
import { revertRevision } from "./revert-revision";
import { columnTypes, insertRows, openMetadataTestContext } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
});
afterAll(() => ctx.close());

const apply = async (defs: EntityDefinition[], confirm = false) =>
  (await applyEntities(ctx, defs, { actor: "alice", confirm })).revisions;
const revert = (id: number, confirm = false) => revertRevision(ctx, id, { actor: "bob", confirm });
const stored = (name: string) => structuredClone(ctx.registry.require(name));
const without = (def: EntityDefinition, ...names: string[]) => ({
  ...def,
  fields: def.fields.filter((f) => !names.includes(f.name)),
});
const rows = (entity: string, columns: string[]) =>
  ctx.db.knex(`data.${entity}`).select(columns).orderBy("name") as Promise<Array<Record<string, unknown>>>;
const asText = (columns: string[]) => columns.map((c) => ctx.db.knex.raw(`??::text as ??`, [c, c]));

const deal: EntityDefinition = {
  name: "deal",
  fields: [
    { name: "name", type: "text", required: true },
    { name: "amount", type: "decimal", scale: 4 },
    { name: "price", type: "money" },
    { name: "memo", type: "text", required: true },
    { name: "visits", type: "integer" },
    { name: "tags", type: "multienum", values: ["a", "b", "c"] },
    { name: "closed_on", type: "date" },
    { name: "double", type: "formula", expression: "amount * 2", resultType: "decimal" },
  ],
};
const sample = [
  {
    name: "A",
    amount: "12.3400",
    price: "1000000.01",
    price__currency: "CNY",
    memo: "客户 ‘quoted’ ?",
    visits: 3,
    tags: ["a", "c"],
    closed_on: "2024-02-29",
  },
  {
    name: "B",
    amount: "-0.0001",
    price: null,
    price__currency: null,
    memo: "  spaces  ",
    visits: null,
    tags: [],
    closed_on: null,
  },
];
const COLUMNS = ["name", "amount", "price", "price__currency", "memo", "visits", "tags", "closed_on"];
const snapshot = async () =>
  ctx.db.knex("data.deal").select(asText(COLUMNS)).orderBy("name") as Promise<Array<Record<string, unknown>>>;

describe("revertRevision", () => {
  let original: Array<Record<string, unknown>>;

  it("brings dropped fields back with their values exactly, the formula and the required rule too", async () => {
    await apply([deal]);
    await insertRows(ctx, "deal", sample);
    original = await snapshot();
    const [drop] = await apply(
      [without(stored("deal"), "amount", "price", "memo", "visits", "tags", "closed_on", "double")],
      true,
    );
    expect(Object.keys(await columnTypes(ctx, "deal"))).not.toContain("amount");
    const result = await revert(drop);
    expect(result).toMatchObject({ reverts: drop, entity: "deal", applied: true });
    expect(result.plan.steps.filter((s) => s.kind === "add_field").map((s) => s.description)).toContain(
      "Add field amount (decimal), restoring its archived values",
    );
    expect(await snapshot()).toEqual(original);
    expect(stored("deal").fields.map((f) => [f.name, f.required ?? false])).toEqual(
      deal.fields.map((f) => [f.name, f.required ?? false]),
    );
    const [row] = await ctx.db.knex("kehu.revisions").where({ id: result.revisions[0] });
    expect(row).toMatchObject({ action: "revert", reverts: drop, actor: "bob" });
  });

  it("reverts the revert, dropping the fields again with confirmation", async () => {
    const [last] = await ctx.db.knex("kehu.revisions").where({ entity: "deal" }).orderBy("id", "desc").limit(1);
    await expect(revert(Number(last.id))).rejects.toMatchObject({ code: "confirmation_required" });
    await revert(Number(last.id), true);
    expect(stored("deal").fields.map((f) => f.name)).toEqual(["name"]);
    const [again] = await ctx.db.knex("kehu.revisions").where({ entity: "deal" }).orderBy("id", "desc").limit(1);
    await revert(Number(again.id));
    expect(await snapshot()).toEqual(original);
  });

  it("reverts a rename to a rename, the formula following back", async () => {
    const def = stored("deal");
    def.fields.find((f) => f.name === "amount")!.name = "sum";
    const [rename] = await apply([def]);
    expect(stored("deal").fields.find((f) => f.name === "double")?.expression).toBe("sum * 2");
    const result = await revert(rename);
    expect(result.plan.steps.map((s) => s.kind)).toContain("rename_field");
    expect(stored("deal").fields.find((f) => f.name === "double")?.expression).toBe("amount * 2");
    expect(await snapshot()).toEqual(original);
  });

  it("reverts a type widening", async () => {
    const def = stored("deal");
    def.fields.find((f) => f.name === "visits")!.type = "decimal";
    const [widen] = await apply([def]);
    expect((await columnTypes(ctx, "deal")).visits).toBe("numeric");
    await revert(widen);
    expect((await columnTypes(ctx, "deal")).visits).toBe("bigint");
    expect(await snapshot()).toEqual(original);
  });

  it("reverts an added field by dropping it (archived), with confirmation", async () => {
    const [add] = await apply([
      { ...stored("deal"), fields: [...stored("deal").fields, { name: "extra", type: "text" }] },
    ]);
    await ctx.db.knex("data.deal").update({ extra: "kept in the archive" });
    await expect(revert(add)).rejects.toMatchObject({ code: "confirmation_required" });
    const result = await revert(add, true);
    expect(Object.keys(await columnTypes(ctx, "deal"))).not.toContain("extra");
    const archived = await ctx.db.knex("kehu.archived_values").where({ revision_id: result.revisions[0] });
    expect(archived.map((a) => a.value)).toEqual(["kept in the archive", "kept in the archive"]);
  });

  it("refuses to revert a revision that later revisions changed, naming them", async () => {
    const history = await ctx.db.knex("kehu.revisions").where({ entity: "deal" }).orderBy("id");
    const first = Number(history[0].id);
    const error = await revert(first, true).catch((e) => e);
    expect(error.code).toBe("conflict");
    expect(error.message).toContain(`Revision ${first} of deal cannot be reverted while later revisions changed it`);
    expect(error.issues).toHaveLength(history.length - 1);
    expect(stored("deal").fields.map((f) => f.name)).toContain("amount");
  });

  it("reverts an entity deletion, rows (soft-deleted too) back exactly", async () => {
    await ctx.db.knex("data.deal").where({ name: "B" }).update({ deleted_at: "2024-01-01T00:00:00Z" });
    const before = await ctx.db
      .knex("data.deal")
      .select(asText([...COLUMNS, "id", "version", "created_at", "deleted_at"]))
      .orderBy("name");
    const done = await deleteEntity(ctx, "deal", { actor: "alice", confirm: true });
    expect(ctx.registry.has("deal")).toBe(false);
    await revert(done.revision!);
    expect(ctx.registry.has("deal")).toBe(true);
    const after = await ctx.db
      .knex("data.deal")
      .select(asText([...COLUMNS, "id", "version", "created_at", "deleted_at"]))
      .orderBy("name");
    expect(after).toEqual(before);
  });

  it("reverts an entity creation by deleting it, with confirmation", async () => {
    const [created] = await apply([{ name: "memo_pad", fields: [{ name: "name", type: "text" }] }]);
    await insertRows(ctx, "memo_pad", [{ name: "x" }]);
    await expect(revert(created)).rejects.toMatchObject({ code: "confirmation_required" });
    const result = await revert(created, true);
    expect(ctx.registry.has("memo_pad")).toBe(false);
    expect(await columnTypes(ctx, "memo_pad")).toEqual({});
    expect(await ctx.db.knex("kehu.archived_values").where({ revision_id: result.revisions[0] })).toHaveLength(1);
    expect(await rows("deal", ["name"])).toHaveLength(2);
  });

  it("refuses an unknown revision", async () => {
    await expect(revert(999999)).rejects.toMatchObject({ code: "not_found" });
  });
});
