import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { formulaIssues } from "./formula-check";
import { parseFormula } from "./formula-parser";
import { formulaSql } from "./formula-sql";
import { sqlTextLiteral } from "./sql-text-literal";

const customer: EntityDefinition = {
  name: "customer",
  fields: [
    { name: "tier", type: "enum", values: ["gold"] },
    { name: "notes", type: "json" },
  ],
};
const order: EntityDefinition = {
  name: "order",
  fields: [
    { name: "qty", type: "integer" },
    { name: "price", type: "decimal" },
    { name: "title", type: "text" },
    { name: "due", type: "date" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "tags", type: "multienum", values: ["a"] },
    { name: "total", type: "formula", expression: "qty * price", resultType: "decimal" },
  ],
};
const lookup = (name: string) => (name === "customer" ? customer : undefined);
const check = (expression: string, resultType = "text") =>
  formulaIssues({ name: "f", type: "formula", expression, resultType } as never, order, lookup);

describe("formula language", () => {
  it("parses precedence: not below comparison, * above +, and above or", () => {
    expect(parseFormula("1 + 2 * 3")).toMatchObject({ op: "+", right: { op: "*" } });
    expect(parseFormula("a or b and not c = d")).toMatchObject({
      op: "or",
      right: { op: "and", right: { kind: "unary", op: "not", arg: { op: "=" } } },
    });
    expect(parseFormula("customer.tier")).toMatchObject({ kind: "ref", via: "customer", name: "tier" });
  });

  it("accepts well-typed formulas of every kind", () => {
    for (const [expression, type] of [
      ["qty * price", "decimal"],
      ["qty + 1", "integer"],
      ["if(qty > 10 and not (title = 'x'), 'big', null)", "text"],
      ["concat(upper(title), ' ', customer.tier, qty)", "text"],
      ["round(price / qty, 2)", "decimal"],
      ["days_between(due, today()) > 30 or year(now()) = 2024", "boolean"],
      ["add_days(due, length(left(title, 3)))", "date"],
      ["coalesce(price, qty, 0)", "decimal"],
      ["abs(-qty) <= 3 or month(due) != day(due)", "boolean"],
    ])
      expect(check(expression, type), expression).toEqual([]);
  });

  it("names the position of each type error", () => {
    const message = (e: string, t = "text") => check(e, t)[0]?.message;
    expect(message("qty * title")).toBe("at position 7: * needs numbers, got text");
    expect(message("if(qty, 1, 2)")).toBe("at position 4: argument 1 of if() must be true or false, got integer");
    expect(message("if(true, 1, 'a')")).toBe(
      "at position 1: the two branches of if have different types: integer and text",
    );
    expect(message("upper(1, 2)")).toBe("at position 1: upper() takes 1 argument(s), got 2");
    expect(message("title = 3")).toBe("at position 7: the two sides of = have different types: text and integer");
    expect(message("1 < 2 < 3")).toBe("at position 7: comparisons cannot be chained; join them with and");
    expect(message("(1 + 2")).toBe("at position 7: expected a closing parenthesis, got the end of the formula");
    expect(message("'abc")).toBe("at position 1: string is not closed with '");
    expect(message("total * 2")).toBe('at position 1: "total" is another formula, which a formula cannot use');
    expect(message("tags")).toBe('at position 1: "tags" is a multienum field, which a formula cannot use');
    expect(message("customer.notes")).toBe('at position 1: "notes" is a json field, which a formula cannot use');
    expect(message("qty.tier")).toBe('at position 1: "qty" is not a reference field, so "qty.tier" means nothing');
    expect(check("title", "integer")).toEqual([
      { path: "/resultType", message: "the expression gives text, which is not a integer" },
    ]);
  });

  it("refuses every way out of fields and functions", () => {
    const attempts: Array<[string, string]> = [
      ["pg_sleep(10)", 'unknown function "pg_sleep"'],
      ["current_setting('is_superuser')", 'unknown function "current_setting"'],
      ["process.exit(1)", "position 13"],
      ["constructor", 'order has no field named "constructor"'],
      ["__proto__", 'order has no field named "__proto__"'],
      ["customer.__proto__", 'customer has no field named "__proto__"'],
      ["toString()", 'unknown function "tostring"'],
      ["id", 'order has no field named "id"'],
      ["data.customer", '"data"'],
      ["customer.tier.length", "only one level of reference"],
      ['"title"', 'unexpected character "\\""'],
      ["title; DROP TABLE x", 'unexpected character ";"'],
      ["title -- comment", 'order has no field named "comment"'],
      ["title /* c */", "expected a value"],
      ["$1", 'unexpected character "$"'],
      ["`title`", 'unexpected character "`"'],
      ["title::text", 'unexpected character ":"'],
      ["title[0]", 'unexpected character "["'],
      ["e'\\x41'", "position 2"],
      ["eval('1')", 'unknown function "eval"'],
      ["require('fs')", 'unknown function "require"'],
      ["(select 1)", "position 9"],
      ["'\u0000'", "NUL"],
    ];
    for (const [expression, expected] of attempts) {
      const issues = check(expression);
      expect(issues, expression).toHaveLength(1);
      expect(issues[0].message, expression).toContain(expected);
    }
  });

  it("compiles to SQL with no user text spliced: literals are fully escaped, names quoted", () => {
    const sql = formulaSql(order, {
      name: "f",
      type: "formula",
      expression: "concat(title, 'x''); DROP TABLE t; -- ? $$ \\')",
      resultType: "text",
    })('data."order"');
    expect(sql).not.toMatch(/--|\?|\$\$|;|\\'/);
    expect(sql.match(/'/g)).toHaveLength(2); // the literal's own quotes only
    expect(sql).toContain('data."order"."title"');
    expect(sqlTextLiteral("it's ?")).toBe("U&'it\\0027s \\003f'::text");
    expect(sqlTextLiteral("😀")).toBe("U&'\\+01f600'::text");
  });
});
