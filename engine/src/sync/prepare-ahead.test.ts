import type { EntityDefinition, SyncMapping } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { checkConnection } from "./connection-store";
import { saveMapping } from "./mapping-store";
import { runSync } from "./run-sync";
import { openSyncTestBed, type SyncTestBed } from "./testing/sync-test-bed";

// Pages are prepared while the page before commits, except when a lookup may need what that page creates.
const category: EntityDefinition = {
  name: "category",
  ownership: "none",
  fields: [
    { name: "code", type: "text", unique: true, required: true },
    { name: "parent", type: "reference", target: "category" },
  ],
};

const categoryMapping: SyncMapping = {
  name: "erp_categories",
  connection: "erp",
  stream: "categories",
  entity: "category",
  direction: "pull",
  key: { external: ["Code"], entity: "code" },
  fields: { code: "Code", parent: { lookup: { entity: "category", by: "code", from: "Parent" } } },
};

let bed: SyncTestBed;
beforeAll(async () => {
  bed = await openSyncTestBed();
  await defineEntities(bed.engine.ctx, [category]);
  const str = { type: ["string", "null"] };
  bed.system.addStream({
    name: "categories",
    primaryKey: ["Code"],
    schema: { type: "object", properties: { Code: str, Parent: str, updatedAt: str } },
    directions: ["pull"],
  });
  await checkConnection(bed.services, "erp"); // the catalog now lists the stream
  await saveMapping(bed.services.knex, bed.services.registry, categoryMapping);
});
afterAll(() => bed?.close());

describe("pages prepared ahead", () => {
  it("a lookup of the mapping's own entity finds the records the pages before created", async () => {
    bed.system.upsert("categories", { Code: "K1", Parent: null });
    bed.system.upsert("categories", { Code: "K2", Parent: "K1" });
    bed.system.upsert("categories", { Code: "K3", Parent: "K2" });
    const run = await runSync(bed.services, { connection: "erp", streams: ["categories"], pageSize: 1 });
    expect(run).toMatchObject({ status: "succeeded", created: 3, failed: 0 });
    const rows = await bed.services.knex("data.category").orderBy("code").select("id", "code", "parent");
    expect(rows.map((r) => [r.code, rows.find((p) => p.id === r.parent)?.code ?? null])).toEqual([
      ["K1", null],
      ["K2", "K1"],
      ["K3", "K2"],
    ]);
  });

  it("pages of a mapping looking up other entities, prepared ahead, are written in order with their lookups", async () => {
    bed.system.upsert("partners", { CardCode: "P1", CardName: "One", GroupCode: 100 });
    bed.system.upsert("partners", { CardCode: "P2", CardName: "Two", GroupCode: 100 });
    await runSync(bed.services, { connection: "erp", streams: ["partners"] });
    for (let n = 1; n <= 5; n++)
      bed.system.upsert("orders", { DocNum: `PA-${n}`, CardCode: n % 2 ? "P1" : "P2", WeightTons: n, Comments: null });
    const run = await runSync(bed.services, { connection: "erp", streams: ["orders"], pageSize: 2 });
    expect(run).toMatchObject({ status: "succeeded", read: 5, created: 5, failed: 0 });
    const orders = await bed.services
      .knex("data.sales_order as o")
      .join("data.account as a", "a.id", "o.account")
      .whereLike("o.number", "PA-%")
      .orderBy("o.number")
      .select("o.number", "a.code");
    expect(orders.map((o) => [o.number, o.code])).toEqual([
      ["PA-1", "P1"],
      ["PA-2", "P2"],
      ["PA-3", "P1"],
      ["PA-4", "P2"],
      ["PA-5", "P1"],
    ]);
  });
});
