import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formulaErrorOf } from "../testing/formula-error-of";
import { compileBpmnExpression, evaluateBpmnExpression } from "./compile-bpmn-expression";
import { translateJuel } from "./juel-dialect";

const ev = (source: string, scope: Record<string, unknown> = {}) => evaluateBpmnExpression(source, scope);

describe("translateJuel", () => {
  it("rewrites JUEL's operators and keywords into the formula language", () => {
    expect(translateJuel('amount > 50000 && status == "approved"').text).toBe(
      "amount > 50000  and  status  =  'approved'",
    );
    expect(translateJuel("a || b").text).toBe("a  or  b");
    expect(translateJuel("!approved").text).toBe("(not approved)");
    expect(translateJuel("x eq 'a' and y ne 'b'").text).toBe("x  =  'a' and y  !=  'b'");
    expect(translateJuel("amount gt 5 or amount le 1 or n div 2 ge 3").text).toBe(
      "amount  >  5 or amount  <=  1 or n  /  2  >=  3",
    );
    expect(translateJuel("not empty comment").text).toBe("not is_empty(comment)");
    expect(translateJuel("empty record.note").text).toBe("is_empty(record.note)");
  });

  it("leaves the formula language as it is", () => {
    for (const kehu of [
      "amount > 10000 and tier = 'gold'",
      "not (x > 1) or y <> 2",
      "if(record.amount <= 50000, 'manager', 'director')",
      "concat('it''s ', name)",
    ])
      expect(translateJuel(kehu).text).toBe(kehu);
  });

  it("leaves every expression of the shipped BPMN files as it is", () => {
    const root = join(import.meta.dirname, "../../..");
    const files = ["examples", "engine/src/workflow"].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".bpmn"))
        .map((f) => join(root, dir, f)),
    );
    const xmlText = (x: string) => x.replaceAll("&gt;", ">").replaceAll("&lt;", "<").replaceAll("&amp;", "&");
    const expressions = files.flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/\$\{([^}]+)\}/g)].map((m) => xmlText(m[1]).trim()),
    );
    expect(expressions.length).toBeGreaterThan(50);
    for (const source of expressions) expect(translateJuel(source).text).toBe(source);
  });

  it("keeps string literals whole: operators and quotes inside them are text", () => {
    expect(translateJuel(`note == "a && b == c || !d"`).text).toBe("note  =  'a && b == c || !d'");
    expect(translateJuel(`s == "it's"`).text).toBe("s  =  'it''s'");
    expect(translateJuel(`s == "say \\"hi\\""`).text).toBe(`s  =  'say "hi"'`);
    // In single quotes a backslash is itself, as the formula language always read it: a path keeps its meaning.
    expect(translateJuel("path == 'C:\\'").text).toBe("path  =  'C:\\'");
    expect(ev("path == 'C:\\'", { path: "C:\\" })).toBe(true);
    expect(ev("p = '\\\\srv'", { p: "\\\\srv" })).toBe(true);
    expect(ev(`note == "a && b == 'c'"`, { note: "a && b == 'c'" })).toBe(true);
    expect(ev(`note != "eq ne !"`, { note: "eq ne !" })).toBe(false);
  });

  it("binds ! and empty to their operand only, as JUEL does", () => {
    expect(translateJuel("!a == b").text).toBe("(not a)  =  b");
    expect(translateJuel("!(a && b)").text).toBe("(not (a  and  b))");
    expect(translateJuel("!empty list && x").text).toBe("(not is_empty(list))  and  x");
    expect(translateJuel("a != b").text).toBe("a != b");
  });

  it("reads a variable named like a JUEL word where it is not an operator", () => {
    expect(ev("record.gt > 1", { record: { gt: 2 } })).toBe(true);
    expect(ev("empty = 'x'", { empty: "x" })).toBe(true);
  });
});

describe("BPMN expressions written in JUEL", () => {
  it("decide as Camunda would", () => {
    const cond = compileBpmnExpression('amount > 50000 && status == "approved"');
    expect(cond.evaluate({ amount: 60000, status: "approved" })).toBe(true);
    expect(cond.evaluate({ amount: 60000, status: "draft" })).toBe(false);
    expect(cond.evaluate({ amount: 100, status: "approved" })).toBe(false);
    expect(cond.references).toEqual(["amount", "status"]);
    expect(ev("!approved", { approved: false })).toBe(true);
    expect(ev("approved == true", { approved: true })).toBe(true);
    expect(ev("a || b", { a: false, b: true })).toBe(true);
    expect(ev("amount gt 5", { amount: 6 })).toBe(true);
    expect(ev("amount ge (a + b)", { amount: 6, a: 2, b: 4 })).toBe(true);
    expect(ev('status != "x"', { status: "x" })).toBe(false);
    expect(ev("x eq 'a' and y ne 'b'", { x: "a", y: "c" })).toBe(true);
    expect(ev("a == not b", { a: true, b: false })).toBe(true);
  });

  it("tests a missing value with == null and != null", () => {
    for (const comment of [null, undefined]) {
      expect(ev("comment == null", { comment })).toBe(true);
      expect(ev("comment != null", { comment })).toBe(false);
    }
    expect(ev("comment == null", { comment: "hi" })).toBe(false);
    expect(ev("comment != null", { comment: "hi" })).toBe(true);
    expect(ev("null != record.owner", { record: { owner: "amy" } })).toBe(true);
    expect(ev("owner_id != null and amount > 5", { owner_id: "u1", amount: 6 })).toBe(true);
  });

  it("tests emptiness of null, text and lists", () => {
    for (const comment of [null, undefined, "", [], {}]) expect(ev("empty comment", { comment })).toBe(true);
    for (const comment of ["ok", ["a"], 0, false]) expect(ev("not empty comment", { comment })).toBe(true);
    expect(ev("empty record.note", { record: { note: "" } })).toBe(true);
    expect(ev("empty record.note", {})).toBe(true);
  });

  it("refuses JUEL it cannot run, naming the construct at its position as written", () => {
    const getVariable = formulaErrorOf(() => compileBpmnExpression('execution.getVariable("x") == 1'));
    expect(getVariable.position).toBe(1);
    expect(getVariable.reason).toMatch(/method calls are not supported.*getVariable.*\$\{x\}/);
    expect(formulaErrorOf(() => compileBpmnExpression("approver.isManager(x)")).message).toMatch(
      /position 10: method calls \(\.isManager\(\.\.\.\)\)/,
    );
    expect(formulaErrorOf(() => compileBpmnExpression("a > 1 ? 'x' : 'y'")).message).toMatch(
      /position 7: the conditional a \? b : c is not supported; write if\(a, b, c\)/,
    );
    expect(formulaErrorOf(() => compileBpmnExpression("list[0] == 1")).message).toMatch(/position 5: index access/);
    expect(formulaErrorOf(() => compileBpmnExpression("n mod 2 == 0")).message).toMatch(/position 3: the remainder/);
    expect(formulaErrorOf(() => compileBpmnExpression("fn:upper(x)")).message).toMatch(/position 3: function prefixes/);
    expect(formulaErrorOf(() => compileBpmnExpression("execution.processBusinessKey")).message).toMatch(
      /execution object is not available/,
    );
    expect(formulaErrorOf(() => compileBpmnExpression('s == "open')).message).toMatch(
      /position 6: string is not closed/,
    );
  });

  it("reports the formula language's errors at the position as written, not as translated", () => {
    // `&&` became ` and `, `"x"` became `'x'`: the stray `&` is still at position 25 of what the user wrote.
    const e = formulaErrorOf(() => compileBpmnExpression('a && status == "x" && b & c'));
    expect(e.position).toBe(25);
    expect(formulaErrorOf(() => compileBpmnExpression('status == "a" && nosuch(x)')).position).toBe(18);
    expect(formulaErrorOf(() => compileBpmnExpression("a &&")).position).toBe(5);
    // A value of the wrong type, found while running: the `>` comparing it.
    expect(formulaErrorOf(() => ev('x == "a" && amount > 5', { x: "a", amount: "lots" })).position).toBe(20);
  });
});
