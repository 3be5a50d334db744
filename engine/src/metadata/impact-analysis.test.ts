import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { type ApplyOptions, applyEntities } from "./apply-entities";
import { openMetadataTestContext } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
  ctx.dependents.register("test-workflows", async () => [
    {
      kind: "workflow",
      id: "contract_approval@3",
      label: 'workflow "contract_approval" v3 reads contract.note',
      entity: "contract",
      field: "note",
    },
  ]);
});
afterAll(() => ctx.close());

const apply = (defs: EntityDefinition[], opts: Partial<ApplyOptions> = {}) =>
  applyEntities(ctx, defs, { actor: "alice", ...opts });
const stored = (name: string) => structuredClone(ctx.registry.require(name));
const without = (def: EntityDefinition, ...names: string[]) => ({
  ...def,
  fields: def.fields.filter((f) => !names.includes(f.name)),
});
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; issues: Array<{ path: string; message: string }> };
  }
  throw new Error("expected a refusal");
};

const customer: EntityDefinition = {
  name: "customer",
  fields: [
    { name: "name", type: "text" },
    { name: "tier", type: "enum", values: ["gold", "general"] },
    { name: "collected", type: "rollup", child: "contract", via: "customer", function: "sum", field: "amount" },
    {
      name: "signed",
      type: "rollup",
      child: "contract",
      via: "customer",
      function: "count",
      filter: { status: { eq: "signed" } },
    },
  ],
};
const contract: EntityDefinition = {
  name: "contract",
  titleField: "code",
  fields: [
    { name: "code", type: "text" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "amount", type: "decimal", scale: 2 },
    { name: "status", type: "enum", values: ["draft", "signed"] },
    { name: "note", type: "text" },
    { name: "total", type: "formula", expression: "amount * 2", resultType: "decimal" },
    { name: "tier_name", type: "formula", expression: "customer.tier", resultType: "text" },
  ],
  indexes: [{ fields: ["code", "amount"], unique: true }],
};

describe("impact of a change", () => {
  it("refuses to drop a field used by a formula, a rollup and a unique key, naming all three", async () => {
    await apply([customer, contract]);
    const e = await failure(apply([without(stored("contract"), "amount")], { confirm: true }));
    expect(e.code).toBe("impact_refused");
    const messages = e.issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("formula contract.total reads contract.amount, which this change drops"),
        expect.stringContaining("rollup customer.collected (sum of contract) folds contract.amount"),
        expect.stringContaining("unique key (code, amount) of contract uses contract.amount"),
      ]),
    );
    expect(e.issues.map((i) => i.path).sort()).toEqual([
      "/contract/fields/4/expression",
      "/contract/indexes/0",
      "/customer/fields/2/field",
    ]);
    expect(stored("contract").fields.map((f) => f.name)).toContain("amount");
  });

  it("lists every dependant in a dry run, and plans their removal", async () => {
    const result = await apply([without(stored("contract"), "amount")], { dryRun: true });
    expect(result.impact.map((e) => [e.key, e.resolution])).toEqual(
      expect.arrayContaining([
        ["formula:contract.total", "blocking"],
        ["rollup:customer.collected", "blocking"],
        ["unique:contract(code,amount)", "blocking"],
      ]),
    );
    expect(result.plans.map((p) => p.entity)).toEqual(["contract", "customer"]);
  });

  it("passes when the same batch fixes every dependant", async () => {
    const fixedContract = without(stored("contract"), "amount", "total");
    fixedContract.indexes = [{ fields: ["code"], unique: true }];
    const fixedCustomer = without(stored("customer"), "collected");
    const dry = await apply([fixedContract, fixedCustomer], { dryRun: true });
    expect(dry.impact.every((e) => e.resolution === "fixed")).toBe(true);
    expect(dry.impact.map((e) => e.key).sort()).toEqual([
      "formula:contract.total",
      "rollup:customer.collected",
      "unique:contract(code,amount)",
    ]);
  });

  it("passes with breaks naming each dependant, removing them in the same change", async () => {
    const result = await apply([without(stored("contract"), "amount")], {
      confirm: true,
      breaks: ["formula:contract.total", "rollup:customer.collected", "unique:contract(code,amount)"],
    });
    expect(result.applied).toBe(true);
    expect(result.impact.filter((e) => e.resolution === "broken")).toHaveLength(3);
    // The plan names all three, and so does the revision that keeps it.
    const keys = ["formula:contract.total", "rollup:customer.collected", "unique:contract(code,amount)"];
    expect(result.plans[0].impact?.map((e) => e.key).sort()).toEqual(keys);
    const [revision] = await ctx.db.knex("kehu.revisions").where({ id: result.revisions[0] });
    expect(revision.plan.impact.map((e: { key: string }) => e.key).sort()).toEqual(keys);
    expect(stored("contract").fields.map((f) => f.name)).toEqual(["code", "customer", "status", "note", "tier_name"]);
    expect(stored("contract").indexes).toBeUndefined();
    expect(stored("customer").fields.map((f) => f.name)).toEqual(["name", "tier", "signed"]);
  });

  it("follows a rename in formulas, rollup filters, and the title field", async () => {
    const c = stored("customer");
    c.fields.find((f) => f.name === "tier")!.name = "level";
    const k = stored("contract");
    k.fields.find((f) => f.name === "status")!.name = "state";
    k.fields.find((f) => f.name === "code")!.name = "number";
    const result = await apply([c, k]);
    expect(result.impact.every((e) => e.resolution === "updated")).toBe(true);
    expect(stored("contract").fields.find((f) => f.name === "tier_name")?.expression).toBe("customer.level");
    expect(stored("contract").titleField).toBe("number");
    expect(stored("customer").fields.find((f) => f.name === "signed")?.filter).toEqual({ state: { eq: "signed" } });
  });

  it("refuses to remove an enum value a rollup filter counts on", async () => {
    const k = stored("contract");
    k.fields.find((f) => f.name === "state")!.values = ["draft"];
    const e = await failure(apply([k]));
    expect(e.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('filters on contract.state, whose value(s) "signed" this change removes'),
    ]);
  });

  it("refuses a type change that a formula cannot use", async () => {
    const c = stored("customer");
    c.fields.find((f) => f.name === "level")!.type = "multienum";
    const e = await failure(apply([c]));
    expect(e.code).toBe("impact_refused");
    expect(e.issues[0].message).toMatch(/^formula contract\.tier_name no longer works: /);
  });

  it("blocks on a registered dependant with its label, unless named in breaks", async () => {
    const e = await failure(apply([without(stored("contract"), "note")], { confirm: true }));
    expect(e.issues).toEqual([
      {
        path: "/workflow/contract_approval@3",
        message: expect.stringContaining(
          'workflow "contract_approval" v3 reads contract.note, which this change drops',
        ),
      },
    ]);
    const done = await apply([without(stored("contract"), "note")], {
      confirm: true,
      breaks: ["workflow:contract_approval@3"],
    });
    expect(done.applied).toBe(true);
    expect(done.impact).toMatchObject([{ key: "workflow:contract_approval@3", resolution: "broken" }]);
  });
});
