import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { planMigration } from "./plan-migration";

const customer: EntityDefinition = {
  name: "customer",
  label: { en: "Customer", zh: "客户" },
  titleField: "name",
  fields: [
    { id: "fname0001", name: "name", type: "text", required: true },
    { id: "fcode0001", name: "code", type: "text", unique: true },
    { id: "ftier0001", name: "tier", type: "enum", values: ["gold", "potential", "general"] },
    { id: "fcred0001", name: "credit", type: "money" },
    { id: "fvisi0001", name: "visits", type: "integer" },
  ],
  indexes: [{ fields: ["tier", "code"] }],
};

const edit = (change: (d: EntityDefinition) => void): EntityDefinition => {
  const copy = structuredClone(customer);
  change(copy);
  return copy;
};

describe("planMigration", () => {
  it("creates a table for a new entity", () => {
    const plan = planMigration(undefined, customer);
    expect(plan.steps.map((s) => s.kind)).toEqual(["create_table"]);
    expect(plan.steps[0].sql[0]).toContain('CREATE TABLE data."customer"');
    expect(plan.destructive).toBe(false);
  });

  it("gives an empty plan for an unchanged definition, whatever its key order", () => {
    // Keys come back from jsonb in another order than they were written.
    const { fields, name, ...rest } = customer;
    const reordered = { fields: fields.map((f) => Object.fromEntries(Object.entries(f).reverse())), name, ...rest };
    expect(planMigration(customer, reordered as EntityDefinition).steps).toEqual([]);
  });

  it("matches fields by name when the new file has no ids", () => {
    const withoutIds = edit((d) => {
      for (const f of d.fields) delete f.id;
    });
    expect(planMigration(customer, withoutIds).steps).toEqual([]);
  });

  it("plans label, help and order changes as metadata only, with no SQL", () => {
    const plan = planMigration(
      customer,
      edit((d) => {
        d.label = { en: "Client" };
        d.fields[1].help = { en: "Internal code" };
        d.fields.reverse();
      }),
    );
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ kind: "change_metadata", sql: [], destructive: false });
    expect(plan.steps[0].description).toContain("label");
    expect(plan.steps[0].description).toContain("help of code");
    expect(plan.steps[0].description).toContain("field order");
  });

  it("renames by id and by renamedFrom, both money columns, and the indexes named after the field", () => {
    const plan = planMigration(
      customer,
      edit((d) => {
        d.fields[1].name = "customer_code";
        d.fields[3] = { name: "credit_limit", renamedFrom: "credit", type: "money" };
        d.indexes = [{ fields: ["tier", "customer_code"] }];
      }),
    );
    const sql = plan.steps.flatMap((s) => s.sql).join("\n");
    expect(plan.steps.map((s) => s.kind)).toEqual(["rebuild_search", "rename_field", "rename_field", "rebuild_search"]);
    expect(sql).toContain('RENAME COLUMN "code" TO "customer_code"');
    expect(sql).toContain('RENAME COLUMN "credit" TO "credit_limit"');
    expect(sql).toContain('RENAME COLUMN "credit__currency" TO "credit_limit__currency"');
    expect(sql).toContain('ALTER INDEX data."customer__code__uq" RENAME TO "customer__customer_code__uq"');
    expect(sql).toContain('ALTER INDEX data."customer__tier__code__ix" RENAME TO "customer__tier__customer_code__ix"');
    expect(sql).not.toContain('DROP COLUMN "code"');
  });

  it("swaps two names through temporary ones", () => {
    const plan = planMigration(
      customer,
      edit((d) => {
        d.fields[0].name = "code";
        d.fields[1].name = "name";
        d.titleField = "code";
        d.indexes = [{ fields: ["tier", "name"] }];
      }),
    );
    const renames = plan.steps.filter((s) => s.kind === "rename_field").flatMap((s) => s.sql);
    expect(renames.filter((s) => s.includes("RENAME COLUMN"))).toEqual([
      'ALTER TABLE data."customer" RENAME COLUMN "name" TO "_kehu_tmp_0"',
      'ALTER TABLE data."customer" RENAME COLUMN "code" TO "_kehu_tmp_1"',
      'ALTER TABLE data."customer" RENAME COLUMN "_kehu_tmp_0" TO "code"',
      'ALTER TABLE data."customer" RENAME COLUMN "_kehu_tmp_1" TO "name"',
    ]);
    expect(renames).toContain('ALTER INDEX data."customer__code__uq" RENAME TO "customer__name__uq"');
  });

  it("re-creates, rather than renames, indexes whose new name another index still holds", () => {
    const bothUnique = edit((d) => (d.fields[0].unique = true));
    const swapped = structuredClone(bothUnique);
    swapped.fields[0].name = "code";
    swapped.fields[1].name = "name";
    swapped.titleField = "code";
    swapped.indexes = [];
    const plan = planMigration(bothUnique, swapped);
    const sql = plan.steps.flatMap((s) => s.sql);
    const firstRename = sql.findIndex((s) => s.includes("RENAME COLUMN"));
    expect(sql.indexOf('DROP INDEX data."customer__code__uq"')).toBeLessThan(firstRename);
    expect(sql.indexOf('DROP INDEX data."customer__name__uq"')).toBeLessThan(firstRename);
    expect(sql.filter((s) => s.startsWith("CREATE UNIQUE INDEX"))).toEqual([
      'CREATE UNIQUE INDEX "customer__code__uq" ON data."customer" ("code") WHERE deleted_at IS NULL',
      'CREATE UNIQUE INDEX "customer__name__uq" ON data."customer" ("name") WHERE deleted_at IS NULL',
    ]);
    expect(sql.some((s) => s.startsWith("ALTER INDEX"))).toBe(false);
  });

  it("drops the search column before retyping or dropping a searchable field, and re-creates it last", () => {
    const plan = planMigration(
      customer,
      edit((d) => {
        d.fields[1] = { id: "fcode0001", name: "code", type: "integer" };
        d.fields.splice(0, 1);
        d.titleField = undefined;
      }),
    );
    expect(plan.steps.map((s) => s.kind)).toEqual([
      "drop_unique",
      "rebuild_search",
      "drop_field",
      "change_type",
      "rebuild_search",
      "change_metadata",
    ]);
    expect(plan.destructive).toBe(true);
    expect(plan.steps[2]).toMatchObject({ field: "name", destructive: true });
    expect(plan.steps[3].sql[0]).toBe(
      'ALTER TABLE data."customer" ALTER COLUMN "code" TYPE bigint USING (trim("code")::bigint)',
    );
    expect(plan.steps[3].checks?.[0]).toMatchObject({ kind: "rows", phase: "convert", path: "/fields/0/type" });
    expect(plan.steps[4].sql[0]).toContain("GENERATED ALWAYS AS ('') STORED");
  });

  it("adds a field with its default written into existing rows", () => {
    const plan = planMigration(
      customer,
      edit((d) => d.fields.push({ name: "vip", type: "boolean", default: false, required: true })),
    );
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ kind: "add_field", field: "vip" });
    expect(plan.steps[0].sql).toEqual([
      'ALTER TABLE data."customer" ADD COLUMN "vip" boolean DEFAULT false',
      'ALTER TABLE data."customer" ALTER COLUMN "vip" DROP DEFAULT',
    ]);
    expect(plan.steps[0].checks).toBeUndefined();
  });

  it("checks live rows when a new required field has no default", () => {
    const plan = planMigration(
      customer,
      edit((d) => d.fields.push({ name: "region", type: "text", required: true })),
    );
    const checks = plan.steps.flatMap((s) => s.checks ?? []);
    expect(checks).toEqual([expect.objectContaining({ kind: "rows", phase: "rule", path: "/fields/5/required" })]);
  });

  it("plans unique keys with a duplicate check, and enum value removal with a value check", () => {
    const plan = planMigration(
      customer,
      edit((d) => {
        d.fields[0].unique = true;
        d.fields[2].values = ["gold", "general", "platinum"];
      }),
    );
    expect(plan.steps.map((s) => s.kind)).toEqual(["change_enum_values", "add_unique"]);
    expect(plan.steps[0].description).toBe("Change the values of tier: add platinum; remove potential");
    expect(plan.steps[1].checks?.[0]).toMatchObject({ kind: "duplicates", values: ['"name"'] });
  });

  it("refuses at once a change between money and a one-column type", () => {
    expect(() =>
      planMigration(
        customer,
        edit((d) => (d.fields[3].type = "decimal")),
      ),
    ).toThrow(/add a new field and copy/);
  });

  it("quotes literals so that no metadata value is spliced into SQL", () => {
    const plan = planMigration(
      customer,
      edit((d) => d.fields.push({ name: "motto", type: "text", default: "it's ok? \\o/" })),
    );
    const add = plan.steps.find((s) => s.kind === "add_field");
    expect(add?.sql[0]).toContain("DEFAULT E'it''s ok\\x3f \\\\o/'::text");
  });
});
