import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { parseKindValue, queryFields, resolveQueryField } from "./query-fields";

const deal = {
  name: "deal",
  fields: [
    { name: "name", type: "email" },
    { name: "credit", type: "money" },
    { name: "tier", type: "enum", values: ["gold", { value: "general", label: { en: "General" } }] },
  ],
} as EntityDefinition;

describe("queryFields", () => {
  it("lists fields, money parts and system fields", () => {
    expect([...queryFields(deal).keys()]).toEqual([
      "name",
      "credit",
      "credit.amount",
      "credit.currency",
      "tier",
      "id",
      "version",
      "created_at",
      "updated_at",
      "created_by",
      "owner_id",
      "department_id",
      "deleted_at",
    ]);
    expect(resolveQueryField(deal, "credit.currency")).toMatchObject({ column: "credit__currency", kind: "text" });
    expect(resolveQueryField(deal, "tier")?.enumValues).toEqual(new Set(["gold", "general"]));
    expect(resolveQueryField(deal, "toString")).toBeUndefined();
    expect(resolveQueryField(deal, "_search")).toBeUndefined();
  });
});

describe("parseKindValue", () => {
  const good: Array<[Parameters<typeof parseKindValue>[0], unknown, unknown]> = [
    ["text", "张伟", "张伟"],
    ["integer", 42, 42],
    ["integer", "-42", -42],
    ["integer", Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ["int4", 2147483647, 2147483647],
    ["decimal", "12000.50", "12000.50"],
    ["decimal", -0.5, "-0.5"],
    ["decimal", 1e21, "1e+21"],
    ["boolean", false, false],
    ["date", "2024-02-29", "2024-02-29"],
    ["date", "2000-02-29", "2000-02-29"],
    ["datetime", "2024-05-31T08:30:00Z", "2024-05-31T08:30:00Z"],
    ["datetime", "2024-05-31 08:30:00.123456+08:00", "2024-05-31 08:30:00.123456+08:00"],
    ["datetime", "2024-05-31T08:30+0530", "2024-05-31T08:30+0530"],
    ["datetime", "2024-05-31", "2024-05-31"],
    ["uuid", "11111111-1111-4111-8111-111111111111", "11111111-1111-4111-8111-111111111111"],
  ];
  it.each(good)("accepts %s %j", (kind, value, binding) => {
    expect(parseKindValue(kind, value)).toEqual({ ok: true, value: binding });
  });

  const bad: Array<[Parameters<typeof parseKindValue>[0], unknown]> = [
    ["text", 1],
    ["text", "a\u0000"],
    ["integer", 1.5],
    ["integer", 2 ** 53],
    ["integer", "1e3"],
    ["int4", 2147483648],
    ["decimal", Number.NaN],
    ["decimal", Number.POSITIVE_INFINITY],
    ["decimal", "1e5"],
    ["decimal", "Infinity"],
    ["decimal", ".5"],
    ["decimal", true],
    ["boolean", "true"],
    ["date", "1900-02-29"],
    ["date", "2024-13-01"],
    ["date", "0000-01-01"],
    ["date", "2024-04-31"],
    ["datetime", "2024-05-31T24:00:00Z"],
    ["datetime", "2024-05-31T08:60Z"],
    ["datetime", "2024-05-31T08:30:00+16:00"],
    ["datetime", "31.05.2024"],
    ["datetime", 1717142400000],
    ["uuid", "11111111111141118111111111111111"],
    ["uuid", "zzzzzzzz-1111-4111-8111-111111111111"],
    ["json", {}],
  ];
  it.each(bad)("refuses %s %j", (kind, value) => {
    expect(parseKindValue(kind, value).ok).toBe(false);
  });
});
