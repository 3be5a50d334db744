import type { FieldDefinition, FilterOperator } from "@kehu/schema";
import { EMPTY_FILTER, type FilterRow, type FilterState, operatorsFor, takesList } from "./filter-ast";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The builder's rows of a stored filter AST (a saved report's), the inverse of `toFilterAst`; undefined when the
 * filter nests deeper than one `and`/`or` of (negated) conditions, or names fields or operators the builder lacks,
 * so that the caller keeps such a filter as it is instead of losing part of it.
 *
 * @example
 * fromFilterAst(fields, {tier: {eq: "gold"}}) // {combinator: "and", rows: [{field: "tier", op: "eq", value: "gold"}]}
 */
export function fromFilterAst(fields: FieldDefinition[], ast: unknown): FilterState | undefined {
  if (ast === undefined || ast === null) return EMPTY_FILTER;
  if (!isObject(ast)) return undefined;
  const keys = Object.keys(ast);
  if (keys.length === 1 && (keys[0] === "and" || keys[0] === "or")) {
    const parts = ast[keys[0]];
    if (!Array.isArray(parts)) return undefined;
    const rows = parts.map((p) => rowOf(fields, p));
    return rows.every((r): r is FilterRow => r !== undefined) ? { combinator: keys[0], rows } : undefined;
  }
  const row = rowOf(fields, ast);
  return row ? { combinator: "and", rows: [row] } : undefined;
}

function rowOf(fields: FieldDefinition[], part: unknown): FilterRow | undefined {
  if (!isObject(part)) return undefined;
  const keys = Object.keys(part);
  if (keys.length !== 1) return undefined;
  if (keys[0] === "not") {
    const inner = rowOf(fields, part.not);
    return inner && !inner.negate ? { ...inner, negate: true } : undefined;
  }
  const field = fields.find((f) => f.name === keys[0]);
  const condition = part[keys[0]];
  if (!field || !isObject(condition) || Object.keys(condition).length !== 1) return undefined;
  const op = Object.keys(condition)[0] as FilterOperator;
  if (!operatorsFor(field).includes(op)) return undefined;
  const operand = condition[op];
  if (op === "isNull") return { field: field.name, op, value: operand === false ? "false" : "true" };
  if (takesList(field, op))
    return Array.isArray(operand) ? { field: field.name, op, value: "", values: operand.map(String) } : undefined;
  if (op === "between")
    return Array.isArray(operand) && operand.length === 2
      ? { field: field.name, op, value: text(field, operand[0]), value2: text(field, operand[1]) }
      : undefined;
  return operand === null || typeof operand === "object"
    ? undefined
    : { field: field.name, op, value: text(field, operand) };
}

/** A value as its input holds it; a datetime instant as the local `YYYY-MM-DDTHH:mm` of a datetime-local input. */
function text(field: FieldDefinition, value: unknown): string {
  if (field.type === "datetime" && typeof value === "string" && !Number.isNaN(Date.parse(value))) {
    const d = new Date(value);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return String(value);
}
