import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { openMetadataTestContext } from "../metadata/test-kit";
import { bulkUpsert } from "../records/bulk-upsert";
import { defineEntities } from "../testing/define-entities";
import { resolveSeedLookups } from "./seed-lookups";

let ctx: EngineContext & { close(): Promise<void> };

beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await defineEntities(ctx, [
    {
      name: "customer",
      fields: [
        { name: "code", type: "text" },
        { name: "city", type: "text" },
      ],
    },
    { name: "contact", fields: [{ name: "customer", type: "reference", target: "customer" }] },
  ]);
  await bulkUpsert(
    ctx.db.knex,
    ctx.registry.require("customer"),
    [
      { code: "C1", city: "上海" },
      { code: "C2", city: "上海" },
    ],
    {},
    "test",
  );
}, 90_000);

afterAll(() => ctx?.close());

describe("seed lookups", () => {
  const contact = () => ctx.registry.require("contact");
  const lookup = (n: string) => ctx.registry.get(n);

  it("turn {field: value} into the id of the one record with that value, leaving ids and nulls alone", async () => {
    const [c1] = await ctx.db.knex("data.customer").where({ code: "C1" }).select("id");
    const records = [{ customer: { code: "C1" } }, { customer: c1.id }, { customer: null }];
    const resolved = await resolveSeedLookups(ctx.db.knex, contact(), records, "2-contact.json", lookup);
    expect(resolved).toEqual([{ customer: c1.id }, { customer: c1.id }, { customer: null }]);
    expect(records[0]).toEqual({ customer: { code: "C1" } });
  });

  it("refuse a lookup matching no record or several, naming the file, the record and the value", async () => {
    await expect(
      resolveSeedLookups(
        ctx.db.knex,
        contact(),
        [{ customer: { code: "C1" } }, { customer: { code: "C9" } }],
        "2-contact.json",
        lookup,
      ),
    ).rejects.toThrow('seed/2-contact.json: record 2, customer: no customer records with code = "C9"');
    await expect(
      resolveSeedLookups(ctx.db.knex, contact(), [{ customer: { city: "上海" } }], "2-contact.json", lookup),
    ).rejects.toThrow("record 1, customer: several customer records");
    await expect(
      resolveSeedLookups(ctx.db.knex, contact(), [{ customer: { vat: "x" } }], "2-contact.json", lookup),
    ).rejects.toThrow('customer has no field "vat"');
  });
});
