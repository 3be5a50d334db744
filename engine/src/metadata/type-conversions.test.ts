import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { applyEntities } from "./apply-entities";
import { columnTypes, insertRows, openMetadataTestContext } from "./test-kit";

let ctx: EngineContext & { close(): Promise<void> };
beforeAll(async () => {
  ctx = await openMetadataTestContext();
});
afterAll(() => ctx.close());

let counter = 0;
/** Creates a one-field entity holding `values`, converts the field to `to`, and returns what it then holds. */
async function convert(from: FieldDefinition, to: Partial<FieldDefinition>, values: unknown[]): Promise<unknown[]> {
  const name = `conv_${++counter}`;
  const def: EntityDefinition = {
    name,
    fields: [
      { name: "name", type: "text" },
      { ...from, name: "v" },
    ],
  };
  await applyEntities(ctx, [def], { actor: "test" });
  await insertRows(
    ctx,
    name,
    values.map((v, i) => ({ name: String(i).padStart(3, "0"), v })),
  );
  const stored = ctx.registry.require(name);
  const next = { ...stored, fields: [stored.fields[0], { ...stored.fields[1], ...to }] };
  await applyEntities(ctx, [next], { actor: "test" });
  const rows = await ctx.db.knex(`data.${name}`).orderBy("name").pluck("v");
  return rows;
}

describe("type conversions", () => {
  it("text to decimal, boolean, date and datetime", async () => {
    expect(await convert({ name: "v", type: "text" }, { type: "decimal" }, [" 1.50", "-2", null])).toEqual([
      "1.50",
      "-2",
      null,
    ]);
    expect(await convert({ name: "v", type: "text" }, { type: "boolean" }, ["Yes", "off"])).toEqual([true, false]);
    expect(await convert({ name: "v", type: "text" }, { type: "date" }, ["2024-02-29"])).toEqual(["2024-02-29"]);
    const [instant] = await convert({ name: "v", type: "text" }, { type: "datetime" }, ["2024-05-01T08:30+08:00"]);
    expect(new Date(instant as string).toISOString()).toBe("2024-05-01T00:30:00.000Z");
  });

  it("refuses text to date with an impossible date", async () => {
    await expect(
      convert({ name: "v", type: "text" }, { type: "date" }, ["2024-02-30", "2024-03-01"]),
    ).rejects.toMatchObject({
      code: "migration_refused",
      extra: { offending: [{ count: 1, values: ["2024-02-30"] }] },
    });
  });

  it("text to enum checks the values, and enum to multienum wraps them", async () => {
    await expect(
      convert({ name: "v", type: "text" }, { type: "enum", values: ["gold"] }, ["gold", "silver"]),
    ).rejects.toMatchObject({
      code: "migration_refused",
      extra: { offending: [{ values: ["silver"] }] },
    });
    expect(
      await convert({ name: "v", type: "enum", values: ["gold", "general"] }, { type: "multienum" }, ["gold", null]),
    ).toEqual([["gold"], null]);
  });

  it("decimal to integer refuses fractions", async () => {
    await expect(convert({ name: "v", type: "decimal" }, { type: "integer" }, ["2.5", "3"])).rejects.toMatchObject({
      extra: { offending: [{ count: 1, values: ["2.5"] }] },
    });
    expect(await convert({ name: "v", type: "decimal" }, { type: "integer" }, ["2.000", "-3"])).toEqual([2, -3]);
  });

  it("datetime to date only at midnight UTC; date to datetime and text", async () => {
    await expect(
      convert({ name: "v", type: "datetime" }, { type: "date" }, ["2024-05-01T00:00:00Z", "2024-05-01T08:00:00Z"]),
    ).rejects.toMatchObject({ extra: { offending: [{ count: 1 }] } });
    const [midnight] = await convert({ name: "v", type: "date" }, { type: "datetime" }, ["2024-05-01"]);
    expect(new Date(midnight as string).toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(await convert({ name: "v", type: "date" }, { type: "text" }, ["2024-05-01"])).toEqual(["2024-05-01"]);
  });

  it("multienum to enum only with at most one value; text to json as a string", async () => {
    await expect(
      convert({ name: "v", type: "multienum", values: ["a", "b"] }, { type: "enum" }, [["a", "b"]]),
    ).rejects.toMatchObject({ code: "migration_refused" });
    expect(await convert({ name: "v", type: "text" }, { type: "json" }, ["x"])).toEqual(["x"]);
  });

  it("a reference may point elsewhere only while empty", async () => {
    await applyEntities(ctx, [{ name: "region", fields: [{ name: "name", type: "text" }] }], { actor: "test" });
    const empty = await convert({ name: "v", type: "reference", target: "conv_1" }, { target: "region" }, [null]);
    expect(empty).toEqual([null]);
    await expect(
      convert({ name: "v", type: "reference", target: "conv_1" }, { target: "region" }, [
        "00000000-0000-4000-8000-000000000001",
      ]),
    ).rejects.toMatchObject({ code: "migration_refused" });
    expect(await columnTypes(ctx, `conv_${counter}`)).toMatchObject({ v: "uuid" });
  });
});
