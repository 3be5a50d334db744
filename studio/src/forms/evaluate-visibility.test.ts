import { describe, expect, it } from "vitest";
import { isVisible } from "./evaluate-visibility";

describe("isVisible", () => {
  it("shows a field without a rule", () => {
    expect(isVisible(undefined, {})).toBe(true);
  });

  it("compares like list filters: eq, in, numbers, money amounts, text case-insensitively", () => {
    expect(isVisible({ status: { in: ["approved", "active"] } }, { status: "active" })).toBe(true);
    expect(isVisible({ status: { in: ["approved", "active"] } }, { status: "draft" })).toBe(false);
    expect(isVisible({ amount: { gte: "1000" } }, { amount: { amount: "999.50", currency: "CNY" } })).toBe(false);
    expect(isVisible({ amount: { gte: "1000" } }, { amount: { amount: "12000", currency: "CNY" } })).toBe(true);
    expect(isVisible({ title: { contains: "TILE" } }, { title: "Floor tiles" })).toBe(true);
    expect(isVisible({ qty: { between: [2, 10] } }, { qty: 11 })).toBe(false);
  });

  it("treats an empty value as the server does: ne and nin include it, other comparisons never match", () => {
    expect(isVisible({ stage: { ne: "new" } }, {})).toBe(true);
    expect(isVisible({ stage: { eq: "new" } }, { stage: "" })).toBe(false);
    expect(isVisible({ stage: { isNull: true } }, { stage: null })).toBe(true);
    expect(isVisible({ stage: { nin: ["new"] } }, {})).toBe(true);
  });

  it("combines with and, or, not, and reads multienum sets", () => {
    const rule = { or: [{ tier: { eq: "gold" } }, { not: { tags: { contains: "vip" } } }] };
    expect(isVisible(rule, { tier: "general", tags: ["vip"] })).toBe(false);
    expect(isVisible(rule, { tier: "general", tags: ["new"] })).toBe(true);
    expect(
      isVisible({ and: [{ tier: { eq: "gold" } }, { tags: { in: ["new", "vip"] } }] }, { tier: "gold", tags: ["vip"] }),
    ).toBe(true);
  });
});
