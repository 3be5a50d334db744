import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { type ApplyOptions, applyEntities } from "./apply-entities";
import {
  columnTypes,
  customerEntity,
  insertRows,
  openMetadataTestContext,
  revisionCount,
  selectRows,
} from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
});
afterAll(() => ctx.close());

const apply = (defs: EntityDefinition[], opts: Partial<ApplyOptions> = {}) =>
  applyEntities(ctx, defs, { actor: "alice", ...opts });
const stored = (name: string) => ctx.registry.require(name);
const withField = (def: EntityDefinition, name: string, change: (f: EntityDefinition["fields"][number]) => void) => {
  const copy = structuredClone(def);
  change(copy.fields.find((f) => f.name === name)!);
  return copy;
};

describe("applyEntities", () => {
  it("creates the table with typed columns, stores the definition with field ids, and records a revision", async () => {
    const def = customerEntity("customer", [
      { name: "visits", type: "integer" },
      { name: "rate", type: "decimal" },
      { name: "tags", type: "multienum", values: ["vip", "overdue"] },
      { name: "since", type: "date" },
      { name: "seen_at", type: "datetime" },
      { name: "active", type: "boolean" },
      { name: "extra", type: "json" },
      { name: "parent", type: "reference", target: "customer" },
    ]);
    const result = await apply([def]);
    expect(result.applied).toBe(true);
    expect(result.plans[0].steps.map((s) => s.kind)).toEqual(["create_table"]);
    expect(await columnTypes(ctx, "customer")).toMatchObject({
      id: "uuid",
      name: "text",
      tier: "text",
      credit: "numeric",
      credit__currency: "text",
      visits: "bigint",
      rate: "numeric",
      tags: "_text",
      since: "date",
      seen_at: "timestamp with time zone",
      active: "boolean",
      extra: "jsonb",
      parent: "uuid",
      _search: "text",
    });
    const definition = stored("customer");
    expect(definition.fields.every((f) => /^f[a-z0-9]{8}$/.test(f.id ?? ""))).toBe(true);
    expect(ctx.registry.revision("customer")).toBe(1);
    const [revision] = await ctx.db.knex("kehu.revisions").where({ id: result.revisions[0] });
    expect(revision).toMatchObject({ entity: "customer", actor: "alice", action: "create", before: null });
    expect(revision.after.fields).toHaveLength(12);
  });

  it("is a no-op when the same definitions are applied again, with or without ids", async () => {
    const again = await apply([customerEntity("customer", [])].map(() => stored("customer")));
    expect(again).toMatchObject({ applied: false, revisions: [] });
    expect(again.plans[0].steps).toEqual([]);
    const fromFile = structuredClone(stored("customer"));
    for (const f of fromFile.fields) delete f.id;
    expect((await apply([fromFile])).plans[0].steps).toEqual([]);
    expect(await revisionCount(ctx, "customer")).toBe(1);
  });

  it("adds a field and writes its default into existing rows", async () => {
    await apply([customerEntity("lead")]);
    await insertRows(ctx, "lead", [{ name: "Acme" }, { name: "Globex" }]);
    const next = customerEntity("lead", [
      { name: "source", type: "enum", values: ["web", "fair"], default: "web", required: true },
      { name: "score", type: "integer", default: 10 },
    ]);
    const result = await apply([next]);
    expect(result.plans[0].steps.map((s) => s.kind)).toEqual(["add_field", "add_field"]);
    expect(await selectRows(ctx, "lead", ["name", "source", "score"])).toEqual([
      { name: "Acme", source: "web", score: 10 },
      { name: "Globex", source: "web", score: 10 },
    ]);
    await insertRows(ctx, "lead", [{ name: "Initech" }]);
    expect((await selectRows(ctx, "lead", ["source"]))[2]).toEqual({ source: null });
  });

  it("renames by id and by renamedFrom, keeping values of both money columns, and rebuilds the search column", async () => {
    await apply([customerEntity("account")]);
    await insertRows(ctx, "account", [{ name: "Acme", code: "A-1", credit: "1200.50", credit__currency: "CNY" }]);
    const byId = withField(stored("account"), "code", (f) => (f.name = "account_code"));
    byId.fields.find((f) => f.name === "credit")!.name = "ignored";
    const next = structuredClone(byId);
    const credit = next.fields.find((f) => f.name === "ignored")!;
    delete credit.id;
    credit.name = "credit_limit";
    credit.renamedFrom = "credit";
    const result = await apply([next]);
    expect(result.plans[0].steps.map((s) => s.kind)).toEqual([
      "rebuild_search",
      "rename_field",
      "rename_field",
      "rebuild_search",
    ]);
    expect(
      await selectRows(ctx, "account", ["account_code", "credit_limit", "credit_limit__currency", "_search"]),
    ).toEqual([{ account_code: "A-1", credit_limit: "1200.50", credit_limit__currency: "CNY", _search: "acme a-1" }]);
    const def = stored("account");
    expect(def.fields.map((f) => f.name)).toEqual(["name", "account_code", "tier", "credit_limit"]);
    expect(def.fields.some((f) => "renamedFrom" in f)).toBe(false);
  });

  it("widens integer to decimal and text to longtext, keeping the data", async () => {
    await apply([
      customerEntity("shop", [
        { name: "visits", type: "integer" },
        { name: "notes", type: "text" },
      ]),
    ]);
    await insertRows(ctx, "shop", [{ name: "Acme", visits: 42, notes: "call on Monday" }]);
    let next = withField(stored("shop"), "visits", (f) => (f.type = "decimal"));
    next = withField(next, "notes", (f) => (f.type = "longtext"));
    const result = await apply([next]);
    expect(result.plans[0].steps.filter((s) => s.kind === "change_type").map((s) => s.field)).toEqual([
      "visits",
      "notes",
    ]);
    expect(await columnTypes(ctx, "shop")).toMatchObject({ visits: "numeric", notes: "text" });
    expect(await selectRows(ctx, "shop", ["visits", "notes"])).toEqual([{ visits: "42", notes: "call on Monday" }]);
  });

  it("refuses text to integer while some values are not whole numbers, naming them, and leaves the table as it was", async () => {
    await apply([customerEntity("dealer", [{ name: "phone", type: "text" }])]);
    const [, bad1, , bad2] = await insertRows(ctx, "dealer", [
      { name: "A", phone: " 13800138000 " },
      { name: "B", phone: "138-0013" },
      { name: "C", phone: null },
      { name: "D", phone: "n/a" },
    ]);
    const before = stored("dealer");
    const next = withField(before, "phone", (f) => (f.type = "integer"));
    const error = await apply([next]).catch((e) => e);
    expect(error).toMatchObject({ code: "migration_refused" });
    expect(error.issues).toEqual([{ path: "/dealer/fields/4/type", message: expect.stringContaining("2 row(s)") }]);
    expect(error.extra.offending).toEqual([
      expect.objectContaining({ entity: "dealer", count: 2, ids: [bad1, bad2].sort(), values: expect.any(Array) }),
    ]);
    expect(await columnTypes(ctx, "dealer")).toMatchObject({ phone: "text" });
    expect(stored("dealer")).toEqual(before);
    expect(await revisionCount(ctx, "dealer")).toBe(1);
  });

  it("converts text to integer once every value is a whole number", async () => {
    await ctx.db.knex("data.dealer").whereNot("phone", "like", " %").update({ phone: null });
    await apply([withField(stored("dealer"), "phone", (f) => (f.type = "integer"))]);
    expect(await selectRows(ctx, "dealer", ["phone"])).toContainEqual({ phone: 13800138000 });
  });

  it("refuses a new required rule while live rows have no value; soft-deleted rows do not count", async () => {
    await apply([customerEntity("agent")]);
    const [live] = await insertRows(ctx, "agent", [
      { name: "A", code: null },
      { name: "B", code: null, deleted_at: new Date().toISOString() },
      { name: "C", code: "C-1" },
    ]);
    const next = withField(stored("agent"), "code", (f) => (f.required = true));
    const error = await apply([next]).catch((e) => e);
    expect(error).toMatchObject({ code: "migration_refused", extra: { offending: [{ count: 1, ids: [live] }] } });
    expect(error.issues[0].path).toBe("/agent/fields/1/required");
    const withDefault = withField(next, "code", (f) => (f.default = "UNKNOWN"));
    await apply([withDefault]);
    expect((await selectRows(ctx, "agent", ["code"])).map((r) => r.code).sort()).toEqual(["C-1", "UNKNOWN", "UNKNOWN"]);
  });

  it("refuses a unique key while live rows share a value, naming the values and ids", async () => {
    await apply([customerEntity("supplier")]);
    const ids = await insertRows(ctx, "supplier", [
      { name: "A", code: "S-1" },
      { name: "B", code: "S-1" },
      { name: "C", code: "S-2" },
      { name: "D", code: "S-2", deleted_at: new Date().toISOString() },
    ]);
    const error = await apply([withField(stored("supplier"), "code", (f) => (f.unique = true))]).catch((e) => e);
    expect(error).toMatchObject({ code: "migration_refused" });
    expect(error.extra.offending).toEqual([
      expect.objectContaining({
        path: "/supplier/fields/1/unique",
        count: 2,
        values: ["S-1"],
        ids: [ids[0], ids[1]].sort(),
      }),
    ]);
  });

  it("refuses removing enum values still used and lowering a text max below existing lengths", async () => {
    await apply([customerEntity("partner")]);
    const [gold] = await insertRows(ctx, "partner", [
      { name: "A very long partner name", tier: "gold" },
      { name: "B", tier: "general" },
    ]);
    let next = withField(stored("partner"), "tier", (f) => (f.values = ["potential", "general"]));
    next = withField(next, "name", (f) => (f.max = 10));
    const error = await apply([next]).catch((e) => e);
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([
      "/partner/fields/0/max",
      "/partner/fields/2/values",
    ]);
    expect(error.extra.offending.map((o: { ids: string[] }) => o.ids)).toEqual([[gold], [gold]]);
  });

  it("refuses a conversion outside the matrix while the column holds values, and allows it on an empty column", async () => {
    await apply([customerEntity("vendor", [{ name: "active", type: "boolean" }])]);
    const next = withField(stored("vendor"), "active", (f) => (f.type = "date"));
    await insertRows(ctx, "vendor", [{ name: "A", active: true }]);
    const error = await apply([next]).catch((e) => e);
    expect(error.issues[0].message).toContain("add a new field and copy");
    await ctx.db.knex("data.vendor").update({ active: null });
    await apply([next]);
    expect(await columnTypes(ctx, "vendor")).toMatchObject({ active: "date" });
  });

  it("refuses a destructive drop without confirm, and with confirm archives the values before dropping the columns", async () => {
    await apply([customerEntity("client", [{ name: "notes", type: "longtext" }])]);
    const [a, b] = await insertRows(ctx, "client", [
      { name: "A", credit: "99.90", credit__currency: "CNY", notes: "likes tea" },
      { name: "B" },
    ]);
    const next = structuredClone(stored("client"));
    next.fields = next.fields.filter((f) => f.name !== "credit" && f.name !== "notes");
    const refused = await apply([next]).catch((e) => e);
    expect(refused).toMatchObject({ code: "confirmation_required" });
    expect(refused.extra.destructiveSteps.map((s: { field: string }) => s.field)).toEqual(["credit", "notes"]);
    expect(await columnTypes(ctx, "client")).toHaveProperty("credit");

    const result = await apply([next], { confirm: true });
    const archived = await ctx.db
      .knex("kehu.archived_values")
      .where({ revision_id: result.revisions[0] })
      .orderBy("field");
    expect(archived.map(({ field, record_id, value }) => ({ field, record_id, value }))).toEqual([
      { field: "credit", record_id: a, value: { amount: "99.90", currency: "CNY" } },
      { field: "notes", record_id: a, value: "likes tea" },
    ]);
    expect(b).toBeDefined();
    const columns = await columnTypes(ctx, "client");
    expect(columns).not.toHaveProperty("credit");
    expect(columns).not.toHaveProperty("credit__currency");
    expect(columns).not.toHaveProperty("notes");
  });

  it("writes nothing on a dry run", async () => {
    await apply([customerEntity("prospect")]);
    await insertRows(ctx, "prospect", [{ name: "A", code: "P-1" }]);
    const next = structuredClone(stored("prospect"));
    next.fields = next.fields.filter((f) => f.name !== "code");
    next.fields.push({ name: "city", type: "text", default: "Shanghai" });
    const result = await apply([next], { dryRun: true });
    expect(result).toMatchObject({ applied: false, revisions: [] });
    expect(result.plans[0].destructive).toBe(true);
    expect(await columnTypes(ctx, "prospect")).toHaveProperty("code");
    expect(await columnTypes(ctx, "prospect")).not.toHaveProperty("city");
    expect(await revisionCount(ctx, "prospect")).toBe(1);
    expect(await apply([customerEntity("brand_new")], { dryRun: true })).toMatchObject({ applied: false });
    expect(await columnTypes(ctx, "brand_new")).toEqual({});
  });

  it("applies nothing from a batch with one invalid definition, and names every bad path under its entity", async () => {
    const good = customerEntity("distributor");
    const bad: EntityDefinition = {
      name: "order_line",
      fields: [
        { name: "qty", type: "integer", values: ["x"] },
        { name: "product", type: "reference", target: "product" },
        { name: "dealer", type: "reference", target: "distributor" },
      ],
    };
    const error = await apply([good, bad]).catch((e) => e);
    expect(error).toMatchObject({ code: "validation_failed" });
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([
      "/order_line/fields/0/values",
      "/order_line/fields/1/target",
    ]);
    expect(ctx.registry.has("distributor")).toBe(false);
    expect(await columnTypes(ctx, "distributor")).toEqual({});
  });

  it("records only a revision for a label change, with a metadata-only plan", async () => {
    const next = structuredClone(stored("customer"));
    next.label = { en: "Client", zh: "客户" };
    const result = await apply([next]);
    expect(result.plans[0].steps).toEqual([expect.objectContaining({ kind: "change_metadata", sql: [] })]);
    expect(ctx.registry.revision("customer")).toBe(2);
  });
});
