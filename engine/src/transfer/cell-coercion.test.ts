import type { FieldDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { coerceCell } from "./cell-coercion";

const f = (type: FieldDefinition["type"], extra: Partial<FieldDefinition> = {}): FieldDefinition =>
  ({ name: "x", type, ...extra }) as FieldDefinition;
const value = (field: FieldDefinition, cell: Parameters<typeof coerceCell>[1]) => {
  const c = coerceCell(field, cell);
  return "value" in c ? c.value : `ERROR ${c.error}`;
};

describe("coerceCell", () => {
  it("reads whole numbers and decimals, with thousands separators, refusing anything else", () => {
    expect(value(f("integer"), "1,234")).toBe(1234);
    expect(value(f("integer"), 42)).toBe(42);
    expect(value(f("integer"), "1.5")).toMatch(/^ERROR/);
    expect(value(f("integer"), "12,34")).toMatch(/^ERROR/);
    expect(value(f("decimal"), "+1,000.50")).toBe("1000.50");
    expect(value(f("decimal"), 0.1 + 0.2)).toBe("0.3");
    expect(value(f("decimal"), "1e5")).toMatch(/^ERROR/);
  });

  it("reads money from one cell (amount and code either side) or from an amount with a single allowed currency", () => {
    expect(value(f("money"), "12000.50 CNY")).toEqual({ amount: "12000.50", currency: "CNY" });
    expect(value(f("money"), "usd 1,200")).toEqual({ amount: "1200", currency: "USD" });
    expect(value(f("money", { currencies: ["CNY"] }), 99.5)).toEqual({ amount: "99.5", currency: "CNY" });
    expect(value(f("money"), "CNY 5 USD")).toMatch(/^ERROR/);
    expect(value(f("money"), "lots")).toMatch(/^ERROR/);
  });

  it("reads yes/no in English, Chinese and digits", () => {
    for (const yes of ["true", "YES", "是", "1", true]) expect(value(f("boolean"), yes)).toBe(true);
    for (const no of ["false", "No", "否", "0", false]) expect(value(f("boolean"), no)).toBe(false);
    expect(value(f("boolean"), "maybe")).toMatch(/^ERROR/);
  });

  it("reads dates as ISO, YYYY/MM/DD, Chinese, Excel serials and Date cells, refusing impossible days", () => {
    expect(value(f("date"), "2024-03-05")).toBe("2024-03-05");
    expect(value(f("date"), "2024/3/5")).toBe("2024-03-05");
    expect(value(f("date"), "2024年3月5日")).toBe("2024-03-05");
    expect(value(f("date"), 45000)).toBe("2023-03-15");
    expect(value(f("date"), "45000")).toBe("2023-03-15");
    expect(value(f("date"), new Date(Date.UTC(2020, 1, 29)))).toBe("2020-02-29");
    expect(value(f("date"), "2023-02-29")).toMatch(/^ERROR/);
    expect(value(f("date"), "05/03/2024")).toMatch(/^ERROR/);
  });

  it("reads date-times with or without an offset (UTC when none) and as Excel serials", () => {
    expect(value(f("datetime"), "2024-01-02 03:04")).toBe("2024-01-02T03:04:00Z");
    expect(value(f("datetime"), "2024-01-02T03:04:05+08:00")).toBe("2024-01-02T03:04:05+08:00");
    expect(value(f("datetime"), 45000.5)).toBe("2023-03-15T12:00:00.000Z");
    expect(value(f("datetime"), "2024-01-02")).toBe("2024-01-02T00:00:00Z");
  });

  it("reads enums and multienums by value or by en/zh label", () => {
    const tier = f("enum", { values: [{ value: "gold", label: { en: "Gold Tier", zh: "金牌" } }, "general"] });
    expect(value(tier, "gold")).toBe("gold");
    expect(value(tier, "gold tier")).toBe("gold");
    expect(value(tier, "金牌")).toBe("gold");
    expect(value(tier, "silver")).toBe('ERROR "silver" is not one of: gold, general');
    const tags = f("multienum", { values: ["vip", { value: "new", label: { en: "New", zh: "新客户" } }] });
    expect(value(tags, "vip; 新客户")).toEqual(["vip", "new"]);
    expect(value(tags, "vip，new")).toEqual(["vip", "new"]);
  });

  it("keeps text as given (neutralised formulas restored), trims contact fields, parses JSON", () => {
    expect(value(f("text"), "  spaced  ")).toBe("  spaced  ");
    expect(value(f("text"), "'=SUM(A1)")).toBe("=SUM(A1)");
    expect(value(f("text"), "'plain")).toBe("'plain");
    expect(value(f("email"), " a@b.cn ")).toBe("a@b.cn");
    expect(value(f("json"), '{"a":[1]}')).toEqual({ a: [1] });
    expect(value(f("json"), "{oops")).toMatch(/^ERROR/);
  });
});
