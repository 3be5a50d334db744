import { describe, expect, it } from "vitest";
import { splitDependentKeys } from "./dependent-keys";

describe("splitDependentKeys", () => {
  it("keeps a composite key's commas and drops blanks", () => {
    expect(splitDependentKeys(" formula:contract.total, unique:contract(code,amount),,index:contract(a,b,c) ")).toEqual(
      ["formula:contract.total", "unique:contract(code,amount)", "index:contract(a,b,c)"],
    );
    expect(splitDependentKeys("")).toEqual([]);
  });
});
