import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "./apply-entities";
import { customerEntity, insertRows, openMetadataTestContext, selectRows } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
});
afterAll(() => ctx.close());

async function indexNames(entity: string): Promise<string[]> {
  return ctx.db
    .knex("pg_indexes")
    .where({ schemaname: "data", tablename: entity })
    .orderBy("indexname")
    .pluck("indexname");
}

describe("renaming fields on a live table", () => {
  it("swaps two unique fields' names, keeping each value with its field and the unique keys in place", async () => {
    const def = customerEntity("customer");
    def.fields[0].unique = true;
    def.fields[1].unique = true;
    def.indexes = [{ fields: ["tier", "code"] }];
    await applyEntities(ctx, [def], { actor: "alice" });
    await insertRows(ctx, "customer", [{ name: "Acme", code: "A-1", tier: "gold" }]);
    const next = structuredClone(ctx.registry.require("customer"));
    next.fields[0].name = "code";
    next.fields[1].name = "name";
    next.titleField = "code";
    next.indexes = [{ fields: ["tier", "name"] }];
    await applyEntities(ctx, [next], { actor: "alice" });
    expect(await selectRows(ctx, "customer", ["name", "code", "_search"])).toEqual([
      { name: "A-1", code: "Acme", _search: "acme a-1" },
    ]);
    expect((await indexNames("customer")).sort()).toEqual([
      "customer__code__uq",
      "customer__created_at",
      "customer__name__uq",
      "customer__search",
      "customer__tier__name__ix",
      "customer_pkey",
    ]);
    await expect(insertRows(ctx, "customer", [{ name: "A-1" }])).rejects.toMatchObject({ code: "23505" });
  });

  it("follows a chain of renames given by renamedFrom in a file without ids", async () => {
    await applyEntities(ctx, [customerEntity("lead", [{ name: "phone", type: "text" }])], { actor: "alice" });
    await insertRows(ctx, "lead", [{ name: "Acme", code: "L-1", phone: "138" }]);
    const file = customerEntity("lead", [
      { name: "mobile", type: "text", renamedFrom: "phone" },
      { name: "phone", type: "text", renamedFrom: "code" },
    ]);
    file.fields = file.fields.filter((f) => f.name !== "code");
    const { plans } = await applyEntities(ctx, [file], { actor: "alice" });
    expect(plans[0].destructive).toBe(false);
    expect(await selectRows(ctx, "lead", ["name", "mobile", "phone"])).toEqual([
      { name: "Acme", mobile: "138", phone: "L-1" },
    ]);
    const again = await applyEntities(ctx, [file], { actor: "alice" });
    expect(again).toMatchObject({ applied: false, plans: [{ steps: [] }] });
  });
});
