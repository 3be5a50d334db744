import { describe, expect, it } from "vitest";
import { sampleCustomer } from "../testing/sample-entities";
import { recordIssues } from "./record-validator";

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe("recordIssues of a json field", () => {
  it("accepts nesting up to 100 levels and names the field nested deeper (a deep value overflowed the stack)", () => {
    expect(recordIssues(sampleCustomer, "create", { name: "Acme", extra: nested(100) })).toEqual([]);
    expect(recordIssues(sampleCustomer, "create", { name: "Acme", extra: { deep: nested(5000) } })).toEqual([
      { path: "/extra", message: "nests deeper than 100 levels" },
    ]);
  });
});
