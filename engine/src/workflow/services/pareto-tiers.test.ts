import { describe, expect, it } from "vitest";
import { dec } from "../../computed/exact-decimal";
import { paretoTiers } from "./pareto-tiers";

const TIERS = [
  { value: "potential", upTo: dec("95") },
  { value: "gold", upTo: dec("80") },
];

function classify(measures: Record<string, string | null>) {
  const items = Object.entries(measures).map(([id, m]) => ({ id, measure: m === null ? null : dec(m) }));
  return Object.fromEntries(paretoTiers(items, TIERS, "general"));
}

describe("the 20/80 rule (paretoTiers)", () => {
  it("gives gold to the customers making up the top 80% of revenue, ties shared, zero revenue general", () => {
    // total 1,000: A 500 (0 above) and B 200 (500 above) are gold; C and D tie at 100 with 700 above, so both are
    // gold even though D alone would pass 80%; E has 900 above (< 950): potential; F has exactly 950 above: general.
    expect(
      classify({ A: "500", B: "200", C: "100", D: "100", E: "50", F: "30", G: "20", H: "0", I: null, J: "-10" }),
    ).toEqual({
      A: "gold",
      B: "gold",
      C: "gold",
      D: "gold",
      E: "potential",
      F: "general",
      G: "general",
      H: "general",
      I: "general",
      J: "general",
    });
  });

  it("keeps exact decimals at the threshold (no floating-point drift)", () => {
    // total 1.0; in floating point 0.7 + 0.1 is 0.7999…, which would make c gold. Exactly, c has 0.8 above: not
    // below 80%, so potential; e has exactly 0.95 above: general.
    expect(classify({ a: "0.7", b: "0.1", c: "0.08", d: "0.07", e: "0.05" })).toEqual({
      a: "gold",
      b: "gold",
      c: "potential",
      d: "potential",
      e: "general",
    });
  });

  it("classifies everyone as the rest when nobody has revenue", () => {
    expect(classify({ a: "0", b: null })).toEqual({ a: "general", b: "general" });
  });
});
