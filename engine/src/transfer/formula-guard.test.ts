import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neutralise, unneutralise } from "./formula-guard";

describe("neutralise", () => {
  it("prefixes a quote to text a spreadsheet would run as a formula", () => {
    for (const s of ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]) expect(neutralise(s)).toBe(`'${s}`);
    for (const s of ["plain", "1-2", "a=b", "'quoted", ""]) expect(neutralise(s)).toBe(s);
  });

  it("never leaves a formula trigger in front, and unneutralise gives back exactly the original", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const safe = neutralise(s);
        expect(/^[=+\-@\t\r]/.test(safe)).toBe(false);
        expect(unneutralise(safe)).toBe(s);
      }),
    );
  });
});
