import type { Issue } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { FormulaError, type FormulaNode } from "./formula-ast";
import { callType, type FormulaType, unify } from "./formula-functions";
import { parseFormula } from "./formula-parser";

/** Finds another entity's definition (a reference's target) while checking. */
export type EntityLookup = (name: string) => EntityDefinition | undefined;

const FIELD_TYPES: Partial<Record<FieldDefinition["type"], FormulaType>> = {
  text: "text",
  longtext: "text",
  email: "text",
  phone: "text",
  url: "text",
  enum: "text",
  autonumber: "text",
  integer: "integer",
  decimal: "decimal",
  money: "decimal",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
};

/** The formula type of a stored field's value, or why a formula cannot use it. */
function fieldType(field: FieldDefinition, pos: number): FormulaType {
  if (field.type === "rollup") return field.function === "count" ? "integer" : "decimal";
  const type = FIELD_TYPES[field.type];
  if (!type) {
    const why = field.type === "formula" ? "another formula" : `a ${field.type} field`;
    throw new FormulaError(pos, `"${field.name}" is ${why}, which a formula cannot use`);
  }
  return type;
}

function findField(entity: EntityDefinition, name: string, pos: number): FieldDefinition {
  const field = entity.fields.find((f) => f.name === name);
  if (!field) throw new FormulaError(pos, `${entity.name} has no field named "${name}"`);
  return field;
}

/**
 * Infers a formula's type over an entity, resolving `customer.tier` through the reference's target. Throws
 * `FormulaError` at the position of the first problem.
 */
export function formulaType(node: FormulaNode, entity: EntityDefinition, lookup: EntityLookup): FormulaType {
  const type = (n: FormulaNode): FormulaType => formulaType(n, entity, lookup);
  switch (node.kind) {
    case "number":
      return node.text.includes(".") ? "decimal" : "integer";
    case "string":
      return "text";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "field":
      return fieldType(findField(entity, node.name, node.pos), node.pos);
    case "ref": {
      const via = findField(entity, node.via, node.pos);
      if (via.type !== "reference" || !via.target)
        throw new FormulaError(
          node.pos,
          `"${node.via}" is not a reference field, so "${node.via}.${node.name}" means nothing`,
        );
      const target = via.target === entity.name ? entity : lookup(via.target);
      if (!target) throw new FormulaError(node.pos, `no entity named "${via.target}"`);
      return fieldType(findField(target, node.name, node.pos + node.via.length + 1), node.pos);
    }
    case "unary": {
      const arg = type(node.arg);
      const want = node.op === "not" ? ["boolean"] : ["integer", "decimal"];
      if (arg !== "null" && !want.includes(arg))
        throw new FormulaError(
          node.arg.pos,
          `${node.op} needs ${node.op === "not" ? "true or false" : "a number"}, got ${arg}`,
        );
      return node.op === "not" ? "boolean" : arg === "null" ? "integer" : arg;
    }
    case "binary":
      return binaryType(node.op, type(node.left), type(node.right), node);
    case "call":
      return callType(
        node.name,
        node.args.map(type),
        node.args.map((a) => a.pos),
        node.pos,
      );
  }
}

function binaryType(
  op: string,
  left: FormulaType,
  right: FormulaType,
  node: Extract<FormulaNode, { kind: "binary" }>,
): FormulaType {
  const expect = (t: FormulaType, at: FormulaNode, ok: FormulaType[], what: string) => {
    if (t !== "null" && !ok.includes(t)) throw new FormulaError(at.pos, `${op} needs ${what}, got ${t}`);
  };
  if (op === "and" || op === "or") {
    expect(left, node.left, ["boolean"], "true or false");
    expect(right, node.right, ["boolean"], "true or false");
    return "boolean";
  }
  if (["+", "-", "*", "/"].includes(op)) {
    expect(left, node.left, ["integer", "decimal"], "numbers");
    expect(right, node.right, ["integer", "decimal"], "numbers");
    if (op === "/") return "decimal";
    return left === "decimal" || right === "decimal" ? "decimal" : "integer";
  }
  unify(left, right, node.pos, `the two sides of ${op}`);
  return "boolean";
}

/** Whether a formula's value may be returned as a field of the declared result type. */
function fits(type: FormulaType, resultType: string): boolean {
  if (type === "null" || type === resultType || resultType === "text") return true;
  return (type === "integer" && resultType === "decimal") || (type === "date" && resultType === "datetime");
}

/**
 * The problems of a formula field, paths relative to the field (`/expression`), messages naming the position.
 *
 * @example
 * formulaIssues({name: "t", type: "formula", expression: "qty * 'x'", resultType: "decimal"}, order, lookup)
 * // [{path: "/expression", message: "at position 7: * needs numbers, got text"}]
 */
export function formulaIssues(field: FieldDefinition, entity: EntityDefinition, lookup: EntityLookup): Issue[] {
  if (field.expression === undefined || field.resultType === undefined) return [];
  try {
    const type = formulaType(parseFormula(field.expression), entity, lookup);
    if (!fits(type, field.resultType))
      return [
        {
          path: "/resultType",
          message: `the expression gives ${type}, which is not a ${field.resultType}`,
        },
      ];
    return [];
  } catch (e) {
    if (e instanceof FormulaError) return [{ path: "/expression", message: e.message }];
    throw e;
  }
}
