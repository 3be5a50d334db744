import { FILTER_OPERATORS, type FieldDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { type FilterRow, operatorsFor, toFilterAst } from "./filter-ast";

const fields: FieldDefinition[] = [
  { name: "name", type: "text" },
  { name: "tier", type: "enum", values: ["gold", "general"] },
  { name: "tags", type: "multienum", values: ["vip", "new"] },
  { name: "employees", type: "integer" },
  { name: "credit", type: "money" },
  { name: "founded", type: "date" },
  { name: "seen", type: "datetime" },
  { name: "active", type: "boolean" },
  { name: "owner", type: "reference", target: "user_profile" },
  { name: "extra", type: "json" },
];
const ast = (...rows: FilterRow[]) => toFilterAst(fields, { combinator: "and", rows });

describe("the filter builder's rows become the API's filter AST", () => {
  it("offers every operator the engine allows per type, and none for json", () => {
    const ops = (name: string) => operatorsFor(fields.find((f) => f.name === name)!);
    expect(ops("name")).toEqual([...FILTER_OPERATORS]);
    expect(ops("tier")).toEqual(["eq", "ne", "in", "nin", "isNull"]);
    expect(ops("tags")).toEqual(["eq", "ne", "contains", "in", "nin", "isNull"]);
    expect(ops("employees")).not.toContain("contains");
    expect(ops("active")).toEqual(["eq", "ne", "isNull"]);
    expect(ops("owner")).toEqual(["eq", "ne", "in", "nin", "isNull"]);
    expect(ops("extra")).toEqual([]);
    const all = new Set(fields.flatMap((f) => operatorsFor(f)));
    expect([...all].sort()).toEqual([...FILTER_OPERATORS].sort());
  });

  it("types each value as the API expects it", () => {
    expect(ast({ field: "name", op: "contains", value: " 华为 " })).toEqual({ name: { contains: "华为" } });
    expect(ast({ field: "name", op: "startsWith", value: "Hua" })).toEqual({ name: { startsWith: "Hua" } });
    expect(ast({ field: "employees", op: "gte", value: "50" })).toEqual({ employees: { gte: 50 } });
    expect(ast({ field: "credit", op: "lt", value: "1000.50" })).toEqual({ credit: { lt: "1000.50" } });
    expect(ast({ field: "active", op: "eq", value: "false" })).toEqual({ active: { eq: false } });
    expect(ast({ field: "founded", op: "between", value: "2020-01-01", value2: "2020-12-31" })).toEqual({
      founded: { between: ["2020-01-01", "2020-12-31"] },
    });
    expect(ast({ field: "seen", op: "gt", value: "2024-05-31T08:30" })).toEqual({
      seen: { gt: new Date("2024-05-31T08:30").toISOString() },
    });
    expect(ast({ field: "employees", op: "in", value: "1, 2，3" })).toEqual({ employees: { in: [1, 2, 3] } });
    expect(ast({ field: "tier", op: "nin", value: "", values: ["gold"] })).toEqual({ tier: { nin: ["gold"] } });
    expect(ast({ field: "tags", op: "contains", value: "", values: ["vip", "new"] })).toEqual({
      tags: { contains: ["vip", "new"] },
    });
    expect(ast({ field: "owner", op: "isNull", value: "false" })).toEqual({ owner: { isNull: false } });
    expect(ast({ field: "tier", op: "isNull", value: "" })).toEqual({ tier: { isNull: true } });
  });

  it("joins rows with and/or, negates with not, and leaves out rows not ready to send", () => {
    const rows: FilterRow[] = [
      { field: "tier", op: "eq", value: "gold" },
      { field: "employees", op: "lt", value: "10", negate: true },
      { field: "employees", op: "gt", value: "ten" },
      { field: "founded", op: "between", value: "2020-01-01" },
      { field: "extra", op: "isNull", value: "true" },
      { field: "gone", op: "eq", value: "x" },
      { field: "tier", op: "contains", value: "go" },
    ];
    expect(toFilterAst(fields, { combinator: "or", rows })).toEqual({
      or: [{ tier: { eq: "gold" } }, { not: { employees: { lt: 10 } } }],
    });
    expect(toFilterAst(fields, { combinator: "and", rows: rows.slice(2) })).toBeUndefined();
  });
});
