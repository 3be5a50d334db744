import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "./apply-entities";
import { deleteEntity } from "./delete-entity";
import { listRevisions } from "./revisions";
import { columnTypes, customerEntity, insertRows, openMetadataTestContext } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await applyEntities(
    ctx,
    [
      { name: "region", fields: [{ name: "name", type: "text" }] },
      customerEntity("customer", [{ name: "region", type: "reference", target: "region" }]),
      { name: "contract", fields: [{ name: "customer", type: "reference", target: "customer" }] },
    ],
    { actor: "alice" },
  );
});
afterAll(() => ctx.close());

describe("deleteEntity", () => {
  it("is refused while another entity refers to it, naming the fields", async () => {
    const error = await deleteEntity(ctx, "customer", { actor: "bob", confirm: true }).catch((e) => e);
    expect(error).toMatchObject({ code: "conflict", issues: [{ path: "/contract/fields/0/target" }] });
    expect(error.message).toContain("contract.customer");
    expect(await columnTypes(ctx, "customer")).toHaveProperty("region");
  });

  it("refuses an unknown entity", async () => {
    await expect(deleteEntity(ctx, "nothing", { actor: "bob" })).rejects.toMatchObject({ code: "unknown_entity" });
  });

  it("plans on a dry run, needs confirm, then archives every row and drops the table", async () => {
    const [a, b] = await insertRows(ctx, "contract", [{}, { deleted_at: new Date().toISOString() }]);
    const dry = await deleteEntity(ctx, "contract", { actor: "bob", dryRun: true });
    expect(dry).toMatchObject({ applied: false, plan: { destructive: true, steps: [{ kind: "drop_table" }] } });
    await expect(deleteEntity(ctx, "contract", { actor: "bob" })).rejects.toMatchObject({
      code: "confirmation_required",
    });
    expect(ctx.registry.has("contract")).toBe(true);

    const done = await deleteEntity(ctx, "contract", { actor: "bob", confirm: true });
    expect(done.applied).toBe(true);
    expect(ctx.registry.has("contract")).toBe(false);
    expect(await columnTypes(ctx, "contract")).toEqual({});
    const archived = await ctx.db
      .knex("kehu.archived_values")
      .where({ revision_id: done.revision })
      .orderBy("record_id");
    expect(archived.map((r) => r.record_id)).toEqual([a, b].sort());
    expect(archived[0]).toMatchObject({ entity: "contract", field: null });
    expect(archived[0].value).toHaveProperty("id");
    expect(archived[0].value).not.toHaveProperty("_search");

    const revisions = await listRevisions(ctx.db.knex, "contract");
    expect(revisions.map((r) => [r.action, r.actor])).toEqual([
      ["delete", "bob"],
      ["create", "alice"],
    ]);
    expect(revisions[0]).toMatchObject({ after: null, summary: [expect.stringContaining("Drop table data.contract")] });
  });

  it("lets a deleted entity be created again, its revision number continuing", async () => {
    await applyEntities(ctx, [{ name: "contract", fields: [{ name: "title", type: "text" }] }], { actor: "carol" });
    expect(ctx.registry.revision("contract")).toBe(3);
    await deleteEntity(ctx, "customer", { actor: "bob", confirm: true });
    expect(ctx.registry.has("customer")).toBe(false);
  });
});
