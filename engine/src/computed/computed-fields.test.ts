import type { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "../metadata/apply-entities";
import { openMetadataTestContext } from "../metadata/test-kit";
import { bulkUpsert } from "../records/bulk-upsert";
import { RecordStore } from "../records/record-store";
import { listRecords } from "../storage/list-query";

const customer: EntityDefinition = {
  name: "customer",
  fields: [
    { name: "name", type: "text" },
    { name: "tier", type: "enum", values: ["gold", "general"] },
  ],
};
const payment: EntityDefinition = {
  name: "payment",
  fields: [
    { name: "contract", type: "reference", target: "contract", onDelete: "cascade" },
    { name: "amount", type: "decimal" },
    { name: "status", type: "enum", values: ["confirmed", "pending"] },
  ],
};
const contract: EntityDefinition = {
  name: "contract",
  fields: [
    { name: "number", type: "autonumber", pattern: "HT-{YYYY}-{0000}" },
    { name: "title", type: "text" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "quantity", type: "integer" },
    { name: "unit_price", type: "decimal" },
    { name: "total", type: "formula", expression: "quantity * unit_price", resultType: "decimal" },
    {
      name: "label",
      type: "formula",
      expression: "concat(upper(title), ' / ', customer.tier, if(customer.tier = 'gold', ' *', ''))",
      resultType: "text",
    },
    { name: "each", type: "formula", expression: "round(unit_price / quantity, 2)", resultType: "decimal" },
    {
      name: "collected",
      type: "rollup",
      child: "payment",
      via: "contract",
      function: "sum",
      field: "amount",
      filter: { status: { eq: "confirmed" } },
    },
    { name: "payments", type: "rollup", child: "payment", via: "contract", function: "count" },
    { name: "largest", type: "rollup", child: "payment", via: "contract", function: "max", field: "amount" },
    { name: "untiered", type: "formula", expression: "customer.tier = null", resultType: "boolean" },
  ],
};

let ctx: EngineContext & { close(): Promise<void> };
const store = (name: string) => new RecordStore(ctx.db.knex, ctx.registry.require(name));
const refusal = async (p: Promise<unknown>) => (await p.then(() => undefined).catch((e) => e)) as AppError;

beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await applyEntities(ctx, [customer, contract, payment], { actor: "test" });
});
afterAll(() => ctx.close());

describe("computed fields end to end", () => {
  it("computes formulas (with a referenced record's field), numbers contracts and refuses computed values", async () => {
    const gold = await store("customer").create({ name: "Acme", tier: "gold" }, "t");
    const a = await store("contract").create(
      { title: "pipes", customer: gold.id, quantity: 3, unit_price: "2.50" },
      "t",
    );
    expect(a).toMatchObject({ total: "7.50", label: "PIPES / gold *", each: "0.83", collected: "0", payments: 0 });
    expect(a.untiered).toBe(false);
    expect(a.number).toMatch(new RegExp(`^HT-${new Date().getUTCFullYear()}-0001$`));
    const b = await store("contract").create({ title: "tubes", quantity: 0, unit_price: "1" }, "t");
    // `= null` tests for a missing value, in SQL as in the expression evaluator.
    expect(b).toMatchObject({ total: "0", label: "TUBES / ", each: null, untiered: true });
    expect(b.number).toMatch(/-0002$/);
    const err = await refusal(store("contract").create({ title: "x", total: "1", number: "HT-1" }, "t"));
    expect(err.code).toBe("validation_failed");
    expect(err.issues).toEqual(
      expect.arrayContaining([
        { path: "/total", message: "is computed and read-only" },
        { path: "/number", message: "is computed and read-only" },
      ]),
    );
  });

  it("filters and sorts on formulas and rollups", async () => {
    const entity = ctx.registry.require("contract");
    const { rows } = await listRecords(ctx.db.knex, entity, { filter: { total: { gt: "1" } }, sort: "-total" });
    expect(rows.map((r) => r.title)).toEqual(["pipes"]);
    const byLabel = await listRecords(ctx.db.knex, entity, { filter: { label: { contains: "gold" } } });
    expect(byLabel.rows.map((r) => r.title)).toEqual(["pipes"]);
    const sorted = await listRecords(ctx.db.knex, entity, { sort: "each,title", limit: 1 });
    const next = await listRecords(ctx.db.knex, entity, { sort: "each,title", limit: 1, cursor: sorted.nextCursor });
    expect([...sorted.rows, ...next.rows].map((r) => r.title)).toEqual(["pipes", "tubes"]);
    const none = await listRecords(ctx.db.knex, entity, { filter: { payments: { gt: 0 } } });
    expect(none.rows).toEqual([]);
  });

  it("keeps rollups right through insert, update, soft delete, restore and re-parenting", async () => {
    const contracts = store("contract");
    const [x, y] = [await contracts.create({ title: "x" }, "t"), await contracts.create({ title: "y" }, "t")];
    const payments = store("payment");
    const p1 = await payments.create({ contract: x.id, amount: "10.5", status: "confirmed" }, "t");
    const p2 = await payments.create({ contract: x.id, amount: "4", status: "pending" }, "t");
    const values = async (id: unknown) => {
      const r = await contracts.get(id as string);
      const num = (v: unknown) => (v === null ? null : Number(v));
      return [num(r.collected), r.payments, num(r.largest)];
    };
    expect(await values(x.id)).toEqual([10.5, 2, 10.5]);
    await payments.update(p2.id as string, { status: "confirmed", amount: "20" }, undefined);
    expect(await values(x.id)).toEqual([30.5, 2, 20]);
    await payments.remove(p2.id as string, undefined);
    expect(await values(x.id)).toEqual([10.5, 1, 10.5]);
    await payments.restore(p2.id as string, undefined);
    expect(await values(x.id)).toEqual([30.5, 2, 20]);
    await payments.update(p1.id as string, { contract: y.id }, undefined);
    expect(await values(x.id)).toEqual([20, 1, 20]);
    expect(await values(y.id)).toEqual([10.5, 1, 10.5]);
    await ctx.db.knex("data.payment").where({ id: p2.id }).delete();
    expect(await values(x.id)).toEqual([0, 0, null]);
    const { rows } = await listRecords(ctx.db.knex, ctx.registry.require("contract"), {
      filter: { collected: { gt: "1" } },
    });
    expect(rows.map((r) => r.title)).toEqual(["y"]);
  });
});

describe("saving computed fields", () => {
  const withField = (field: Record<string, unknown>) =>
    ({ ...contract, fields: [...contract.fields, field] }) as EntityDefinition;
  const issues = async (defs: EntityDefinition[]) => (await refusal(applyEntities(ctx, defs, { actor: "t" }))).issues;

  it("type-checks a formula and names the position of the problem", async () => {
    expect(
      await issues([
        withField({ name: "bad", type: "formula", expression: "quantity + title", resultType: "decimal" }),
      ]),
    ).toEqual([{ path: "/contract/fields/12/expression", message: "at position 12: + needs numbers, got text" }]);
    expect(
      await issues([withField({ name: "bad", type: "formula", expression: "customer.nope", resultType: "text" })]),
    ).toEqual([
      { path: "/contract/fields/12/expression", message: 'at position 10: customer has no field named "nope"' },
    ]);
    expect(
      await issues([withField({ name: "bad", type: "formula", expression: "title", resultType: "integer" })]),
    ).toEqual([
      { path: "/contract/fields/12/resultType", message: "the expression gives text, which is not a integer" },
    ]);
  });

  it("checks a rollup's child, via, field and filter", async () => {
    const rollup = { name: "r", type: "rollup", child: "payment", via: "amount", function: "avg", field: "status" };
    expect(await issues([withField({ ...rollup, filter: { nope: { eq: 1 } } })])).toEqual([
      { path: "/contract/fields/12/via", message: "payment.amount is not a reference to contract" },
      { path: "/contract/fields/12/field", message: "avg needs a number field; payment.status is enum" },
      expect.objectContaining({ path: "/contract/fields/12/filter/nope" }),
    ]);
  });

  it("refuses to drop a child field a rollup uses, naming the rollup", async () => {
    const without = { ...payment, fields: payment.fields.filter((f) => f.name !== "amount") };
    const found = await issues([without]);
    expect(found).toEqual([
      {
        path: "/contract/fields/8/field",
        message: expect.stringContaining(
          "rollup contract.collected (sum of payment) folds payment.amount, which this change drops",
        ),
      },
      expect.objectContaining({ path: "/contract/fields/10/field" }),
    ]);
  });

  it("changes an expression (re-checked, values follow) and a rollup's function (column retyped, refilled)", async () => {
    const changed = structuredClone(contract);
    const total = changed.fields.find((f) => f.name === "total") as { expression: string };
    total.expression = "quantity";
    const bad = structuredClone(changed);
    (bad.fields.find((f) => f.name === "total") as { expression: string }).expression = "quantity +";
    expect(await issues([bad])).toEqual([
      {
        path: "/contract/fields/5/expression",
        message: "at position 11: expected a value, got the end of the formula",
      },
    ]);
    const payments = changed.fields.find((f) => f.name === "payments") as Record<string, unknown>;
    Object.assign(payments, { function: "sum", field: "amount" });
    const result = await applyEntities(ctx, [changed], { actor: "t" });
    expect(result.applied).toBe(true);
    const { rows } = await listRecords(ctx.db.knex, ctx.registry.require("contract"), { sort: "title" });
    const y = rows.find((r) => r.title === "y");
    expect([y?.total, Number(y?.payments)]).toEqual([null, 10.5]);
    expect(rows.find((r) => r.title === "pipes")?.total).toBe("3");
    await applyEntities(ctx, [contract], { actor: "t" });
    const back = await listRecords(ctx.db.knex, ctx.registry.require("contract"), { filter: { title: { eq: "y" } } });
    expect(back.rows[0].payments).toBe(1);
  });

  it("adds a rollup to an existing entity with its values computed, and drops it again", async () => {
    await applyEntities(
      ctx,
      [
        withField({
          name: "avg_amount",
          type: "rollup",
          child: "payment",
          via: "contract",
          function: "avg",
          field: "amount",
        }),
      ],
      { actor: "t" },
    );
    const { rows } = await listRecords(ctx.db.knex, ctx.registry.require("contract"), {
      filter: { title: { eq: "y" } },
    });
    expect(Number(rows[0].avg_amount)).toBe(10.5);
    await applyEntities(ctx, [contract], { actor: "t", confirm: true });
    const triggers = await ctx.db.knex.raw(
      "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'kehu\\_rollup%' ORDER BY 1",
    );
    expect(triggers.rows.map((r: { tgname: string }) => r.tgname)).toEqual([
      ...["collected", "largest", "payments"].flatMap((f) =>
        ["d", "i", "u"].map((event) => `kehu_rollup__contract__${f}__${event}`),
      ),
    ]);
  });
});

describe("a rollup over the entity's own records (a company group: HQ, branches, stores)", () => {
  const company: EntityDefinition = {
    name: "company",
    fields: [
      { name: "name", type: "text" },
      { name: "parent", type: "reference", target: "company" },
      { name: "revenue", type: "decimal" },
      { name: "units", type: "rollup", child: "company", via: "parent", function: "count" },
      { name: "units_revenue", type: "rollup", child: "company", via: "parent", function: "sum", field: "revenue" },
      { name: "best_unit", type: "rollup", child: "company", via: "parent", function: "max", field: "revenue" },
    ],
  };

  it("is saved and kept right when children are added, changed, re-parented and deleted", async () => {
    await applyEntities(ctx, [customer, contract, payment, company], { actor: "test" });
    const companies = store("company");
    const hq = await companies.create({ name: "HQ", revenue: "1" }, "t");
    const east = await companies.create({ name: "East", parent: hq.id, revenue: "10" }, "t");
    const west = await companies.create({ name: "West", parent: hq.id, revenue: "20" }, "t");
    const store1 = await companies.create({ name: "Store 1", parent: east.id, revenue: "4" }, "t");
    const values = async (id: unknown) => {
      const r = await companies.get(id as string);
      const num = (v: unknown) => (v === null ? null : Number(v));
      return [r.units, num(r.units_revenue), num(r.best_unit)];
    };
    expect(await values(hq.id)).toEqual([2, 30, 20]);
    expect(await values(east.id)).toEqual([1, 4, 4]);
    await companies.update(west.id as string, { revenue: "25" }, undefined);
    expect(await values(hq.id)).toEqual([2, 35, 25]);
    await companies.update(store1.id as string, { parent: west.id }, undefined);
    expect(await values(east.id)).toEqual([0, 0, null]);
    expect(await values(west.id)).toEqual([1, 4, 4]);
    await companies.remove(east.id as string, undefined);
    expect(await values(hq.id)).toEqual([1, 25, 25]);
    // A cycle of parents (a data error) comes to rest instead of recomputing itself forever.
    await companies.update(hq.id as string, { parent: west.id }, undefined);
    expect(await values(west.id)).toEqual([2, 5, 4]);
    expect(await values(hq.id)).toEqual([1, 25, 25]);
  });

  it("keeps the parent's rollups right through a bulk write of its units, and audits each unit as stored", async () => {
    const entity = ctx.registry.require("company");
    const group = await store("company").create({ name: "Group" }, "t");
    const audited: Array<Record<string, unknown>> = [];
    const result = await bulkUpsert(
      ctx.db.knex,
      entity,
      [
        { name: "North", parent: group.id, revenue: "3" },
        { name: "South", parent: group.id, revenue: "7" },
      ],
      {},
      "t",
      { audit: async (_trx, changes) => void audited.push(...changes.map((c) => c.after)) },
    );
    expect(result.created).toBe(2);
    expect(audited.map((r) => [r.name, r.parent, r.units])).toEqual([
      ["North", group.id, 0],
      ["South", group.id, 0],
    ]);
    const after = await store("company").get(group.id as string);
    expect([after.units, Number(after.units_revenue), Number(after.best_unit)]).toEqual([2, 10, 7]);
  });
});
