import type { FieldDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { EMPTY_FILTER, toFilterAst } from "./filter-ast";
import { fromFilterAst } from "./filter-from-ast";

const fields = [
  { name: "tier", type: "enum", values: ["gold", "general"] },
  { name: "amount", type: "decimal" },
  { name: "qty", type: "integer" },
  { name: "name", type: "text" },
  { name: "extra", type: "json" },
] as unknown as FieldDefinition[];

describe("a stored filter back in the builder", () => {
  it("round-trips what the builder writes", () => {
    for (const ast of [
      { tier: { eq: "gold" } },
      { or: [{ tier: { in: ["gold", "general"] } }, { not: { name: { contains: "测试" } } }] },
      { and: [{ amount: { between: ["10.5", "99"] } }, { qty: { gte: 3 } }, { name: { isNull: false } }] },
    ]) {
      const state = fromFilterAst(fields, ast);
      expect(state).toBeDefined();
      expect(toFilterAst(fields, state!)).toEqual(ast);
    }
    expect(fromFilterAst(fields, undefined)).toEqual(EMPTY_FILTER);
  });

  it("refuses what it cannot show, so the caller keeps the filter whole", () => {
    expect(fromFilterAst(fields, { and: [{ or: [{ tier: { eq: "gold" } }] }] })).toBeUndefined();
    expect(fromFilterAst(fields, { missing: { eq: 1 } })).toBeUndefined();
    expect(fromFilterAst(fields, { tier: { eq: "gold", ne: "x" } })).toBeUndefined();
    expect(fromFilterAst(fields, { extra: { isNull: true } })).toBeUndefined();
  });
});
