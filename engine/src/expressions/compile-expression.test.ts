import { describe, expect, it } from "vitest";
import { FORMULA_FUNCTIONS } from "../computed/formula-functions";
import { formulaErrorOf } from "../testing/formula-error-of";
import { compileExpression, evaluateExpression, expressionIssues } from "./compile-expression";
import { EXPRESSION_FUNCTIONS } from "./expression-functions";

const clock = () => new Date("2026-11-23T08:30:00Z");
const ev = (source: string, scope: Record<string, unknown> = {}) => evaluateExpression(source, scope, { now: clock });

describe("compileExpression", () => {
  it("decides approval thresholds on a record's decimal amount given as text", () => {
    const tier = compileExpression(
      "if(record.amount <= 50000, 'manager', if(record.amount <= 200000, 'director', 'general_manager'))",
    );
    expect(tier.evaluate({ record: { amount: "50000.00" } })).toBe("manager");
    expect(tier.evaluate({ record: { amount: "50000.01" } })).toBe("director");
    expect(tier.evaluate({ record: { amount: 200001 } })).toBe("general_manager");
    expect(tier.references).toEqual(["record.amount"]);
  });

  it("reads a money value as its amount, and still reads its currency by name", () => {
    const contract = { amount: { amount: "60000.00", currency: "CNY" } };
    expect(ev("record.amount > 50000", { record: contract })).toBe(true);
    expect(ev("amount * 2", contract)).toBe("120000.00");
    expect(ev("amount.currency", contract)).toBe("CNY");
    expect(formulaErrorOf(() => ev("x > 1", { x: { amount: "1", currency: "CNY", rate: 2 } })).message).toMatch(
      /an object/,
    );
  });

  it("computes exactly in decimals, not in floating point", () => {
    expect(ev("0.1 + 0.2")).toBe("0.3");
    expect(ev("a * b", { a: "19.99", b: 3 })).toBe("59.97");
    expect(ev("10 / 4")).toBe("2.5");
    expect(ev("1 / 3")).toBe("0.3333333333333333");
    expect(ev("round(2.345, 2)")).toBe("2.35");
    expect(ev("round(-2.5)")).toBe(-3);
    expect(ev("(15 - 10) * 5000 * 0.1")).toBe("2500.0");
    expect(ev("10 / n", { n: 0 })).toBeNull();
  });

  it("follows SQL's null rules: arithmetic and comparisons with null give null, and/or use three-valued logic", () => {
    expect(ev("x + 1", { x: null })).toBeNull();
    expect(ev("missing = 1")).toBeNull();
    expect(ev("x > 1 or true", { x: null })).toBe(true);
    expect(ev("x > 1 and false", { x: null })).toBe(false);
    expect(ev("not (x > 1)", { x: null })).toBeNull();
    expect(ev("if(x > 1, 'big', 'small')", { x: null })).toBe("small");
    expect(ev("coalesce(x, y, 7)", { x: null })).toBe(7);
    expect(ev("concat('HT-', x, '-', 3)", { x: null })).toBe("HT--3");
  });

  it("runs the string and date functions, with today() on the caller's clock", () => {
    expect(ev("upper(name)", { name: "kehu" })).toBe("KEHU");
    expect(ev("length('客户管理')")).toBe(4);
    expect(ev("left('上海建材有限公司', 2)")).toBe("上海");
    expect(ev("right('ABCDE', -2)")).toBe("CDE");
    expect(ev("today()")).toBe("2026-11-23");
    expect(ev("days_between(today(), due)", { due: "2026-11-30" })).toBe(7);
    expect(ev("add_days(due, -7)", { due: "2026-03-01" })).toBe("2026-02-22");
    expect(ev("year(d) * 100 + month(d)", { d: new Date("2026-02-03T23:00:00Z") })).toBe(202602);
  });

  it("short-circuits: the branch not taken is never evaluated", () => {
    expect(ev("if(n = 0, 0, 10 / n)", { n: 0 })).toBe(0);
    expect(ev("n = 0 or 10 / n > 1", { n: 0 })).toBe(true);
  });

  it("refuses bad expressions at compile time with the position", () => {
    expect(formulaErrorOf(() => compileExpression("amount >")).message).toMatch(/position 9/);
    expect(formulaErrorOf(() => compileExpression("system('rm -rf /')")).message).toMatch(/unknown function "system"/);
    expect(formulaErrorOf(() => compileExpression("upper(a, b)")).message).toMatch(/upper\(\) takes 1 argument/);
    expect(formulaErrorOf(() => compileExpression("a; b")).message).toMatch(/unexpected character ";"/);
    expect(expressionIssues("1 +", "/fields/total/expr")).toEqual([
      { path: "/fields/total/expr", message: expect.stringMatching(/^at position 4:/) },
    ]);
    expect(expressionIssues("amount * 2", "/x")).toEqual([]);
  });

  it("refuses values of the wrong type at run time, naming the position", () => {
    expect(formulaErrorOf(() => ev("a * 2", { a: "many" })).message).toBe("at position 1: * needs a number, got text");
    expect(formulaErrorOf(() => ev("flag and a", { flag: true, a: 1 })).message).toMatch(/and needs true or false/);
    expect(formulaErrorOf(() => ev("s = true", { s: "x" })).message).toMatch(/compares text with true or false/);
    expect(formulaErrorOf(() => ev("o.x", { o: [1] })).message).toMatch(/not an object/);
  });

  it("reads only the scope's own values, never the prototype chain", () => {
    expect(ev("constructor", {})).toBeNull();
    expect(ev("o.constructor", { o: {} })).toBeNull();
    // Missing, not Object.prototype.toString.
    expect(ev("toString = null")).toBe(true);
  });

  it("implements every function the formula language has", () => {
    const lazy = ["if", "coalesce"];
    expect(
      Object.keys(FORMULA_FUNCTIONS)
        .filter((f) => !lazy.includes(f))
        .sort(),
    ).toEqual(Object.keys(EXPRESSION_FUNCTIONS).sort());
  });
});
