import type { Issue } from "@kehu/core";
import { cmp } from "../computed/exact-decimal";
import { FormulaError, type FormulaNode } from "../computed/formula-ast";
import { functionSpec } from "../computed/formula-functions";
import { parseFormula } from "../computed/formula-parser";
import { formulaNodes } from "../computed/formula-walk";
import { ARITHMETIC, divide } from "./expression-arithmetic";
import { EXPRESSION_FUNCTIONS } from "./expression-functions";
import { asBoolean, asNumber, describeValue, fromScope, isDec, toResult, type Value } from "./expression-value";

/** Variables an expression reads: plain names (`amount`) and one level into an object (`record.status`). */
export type ExpressionScope = Record<string, unknown>;

export interface EvaluateOptions {
  /** The clock of `today()` and `now()`; workflows pass their (virtual) clock. */
  now?: () => Date;
}

/**
 * A function only some callers offer (BPMN's `is_empty`), not part of the formula language: it is handed its
 * arguments' raw scope values (a variable holding a list stays a list) and its result is read as a scope value.
 */
export interface ScopeFunction {
  arity: number;
  run(args: unknown[]): unknown;
}

export interface CompileOptions {
  functions?: Record<string, ScopeFunction>;
}

/** A checked expression, ready to run on many scopes. */
export interface CompiledExpression {
  readonly source: string;
  /** Every name read, as written: `amount`, `record.status`. */
  readonly references: string[];
  /** Runs on a scope; throws `FormulaError` (with a position) when a value has the wrong type. */
  evaluate(scope: ExpressionScope, options?: EvaluateOptions): unknown;
}

/**
 * Compiles an expression of the formula language (arithmetic, comparisons, and/or/not, `if`, the string and date
 * functions) for evaluation in JavaScript: no `eval`, no access to anything but the scope's own values. Throws
 * `FormulaError` naming the position of a syntax error, an unknown function or a wrong argument count.
 *
 * @example
 * compileExpression("record.amount > 50000 and outcome = 'approve'")
 *   .evaluate({ record: { amount: "60000.00" }, outcome: "approve" }) // true
 */
export function compileExpression(source: string, compileOptions: CompileOptions = {}): CompiledExpression {
  const tree = parseFormula(source);
  const functions = compileOptions.functions ?? {};
  return {
    source,
    references: [...new Set(checkedReads(tree, functions))],
    evaluate: (scope, options = {}) =>
      toResult(run(tree, { scope, now: options.now ?? (() => new Date()), functions })),
  };
}

/** Compiles and runs once. */
export function evaluateExpression(source: string, scope: ExpressionScope, options?: EvaluateOptions): unknown {
  return compileExpression(source).evaluate(scope, options);
}

/** The problems of an expression as issues at `path`, for validators that never throw. */
export function expressionIssues(source: string, path: string): Issue[] {
  try {
    compileExpression(source);
    return [];
  } catch (e) {
    if (e instanceof FormulaError) return [{ path, message: e.message }];
    throw e;
  }
}

/** Every name an expression reads; refuses an unknown function or a wrong argument count, at its position. */
function checkedReads(tree: FormulaNode, functions: Record<string, ScopeFunction>): string[] {
  const reads: string[] = [];
  for (const node of formulaNodes(tree)) {
    if (node.kind === "field") reads.push(node.name);
    else if (node.kind === "ref") reads.push(`${node.via}.${node.name}`);
    else if (node.kind === "call" && Object.hasOwn(functions, node.name)) {
      const { arity } = functions[node.name];
      if (node.args.length !== arity)
        throw new FormulaError(node.pos, `${node.name}() takes ${arity} argument${arity === 1 ? "" : "s"}`);
    } else if (node.kind === "call") functionSpec(node.name, node.args.length, node.pos);
  }
  return reads;
}

interface Run {
  scope: ExpressionScope;
  now: () => Date;
  functions: Record<string, ScopeFunction>;
}

function lookup(scope: ExpressionScope, name: string): unknown {
  return Object.hasOwn(scope, name) ? scope[name] : undefined;
}

/** A variable as the scope holds it (a list stays a list); any other argument evaluated. */
function rawOf(node: FormulaNode, r: Run): unknown {
  if (node.kind === "field") return lookup(r.scope, node.name);
  if (node.kind === "ref") {
    const holder = lookup(r.scope, node.via);
    if (holder === undefined || holder === null) return undefined;
    if (typeof holder === "object" && !Array.isArray(holder)) return lookup(holder as ExpressionScope, node.name);
  }
  return toResult(run(node, r));
}

function run(node: FormulaNode, r: Run): Value {
  const { scope } = r;
  const ev = (n: FormulaNode) => run(n, r);
  switch (node.kind) {
    case "number":
      return asNumber(node.text, node.pos, "a number");
    case "string":
      return node.value;
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "field":
      return fromScope(lookup(scope, node.name), node.name, node.pos);
    case "ref": {
      const holder = lookup(scope, node.via);
      const name = `${node.via}.${node.name}`;
      if (holder === undefined || holder === null) return null;
      if (typeof holder !== "object" || Array.isArray(holder))
        throw new FormulaError(node.pos, `"${node.via}" is not an object, so "${name}" means nothing`);
      return fromScope(lookup(holder as ExpressionScope, node.name), name, node.pos);
    }
    case "unary": {
      if (node.op === "not") {
        const b = asBoolean(ev(node.arg), node.arg.pos, "not");
        return b === null ? null : !b;
      }
      const n = asNumber(ev(node.arg), node.arg.pos, "-");
      return n === null ? null : { v: -n.v, s: n.s };
    }
    case "binary":
      return binary(node, ev);
    case "call":
      if (Object.hasOwn(r.functions, node.name))
        return fromScope(r.functions[node.name].run(node.args.map((a) => rawOf(a, r))), node.name, node.pos);
      return call(node, ev, r.now);
  }
}

function binary(node: Extract<FormulaNode, { kind: "binary" }>, ev: (n: FormulaNode) => Value): Value {
  const { op } = node;
  if (op === "and" || op === "or") {
    // Three-valued logic as in SQL, short-circuiting on the deciding value.
    const left = asBoolean(ev(node.left), node.left.pos, op);
    if (left === (op === "or")) return left;
    const right = asBoolean(ev(node.right), node.right.pos, op);
    if (right === (op === "or")) return right;
    return left === null || right === null ? null : op === "and";
  }
  const left = ev(node.left);
  const right = ev(node.right);
  if (op === "+" || op === "-" || op === "*" || op === "/") {
    const a = asNumber(left, node.left.pos, op);
    const b = asNumber(right, node.right.pos, op);
    if (a === null || b === null) return null;
    return op === "/" ? divide(a, b) : ARITHMETIC[op](a, b);
  }
  // Against the literal null, = and != test for a missing value (`comment != null`): under three-valued logic they
  // would always give null, a condition never true, which is never what was meant.
  if ((op === "=" || op === "!=") && (node.left.kind === "null" || node.right.kind === "null")) {
    const missing = (node.left.kind === "null" ? right : left) === null;
    return op === "=" ? missing : !missing;
  }
  if (left === null || right === null) return null;
  const order = compare(left, right, node.pos, op);
  switch (op) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    default:
      return order >= 0;
  }
}

function compare(a: Exclude<Value, null>, b: Exclude<Value, null>, pos: number, op: string): number {
  if (isDec(a) || isDec(b)) {
    const x = asNumber(a, pos, `the two sides of ${op}`);
    const y = asNumber(b, pos, `the two sides of ${op}`);
    return cmp(x as NonNullable<typeof x>, y as NonNullable<typeof y>);
  }
  if (typeof a !== typeof b) throw new FormulaError(pos, `${op} compares ${describeValue(a)} with ${describeValue(b)}`);
  return a === b ? 0 : a < b ? -1 : 1;
}

function call(node: Extract<FormulaNode, { kind: "call" }>, ev: (n: FormulaNode) => Value, now: () => Date): Value {
  if (node.name === "if") {
    const condition = asBoolean(ev(node.args[0]), node.args[0].pos, "the condition of if");
    return ev(condition === true ? node.args[1] : node.args[2]);
  }
  if (node.name === "coalesce") {
    for (const arg of node.args) {
      const v = ev(arg);
      if (v !== null) return v;
    }
    return null;
  }
  const impl = EXPRESSION_FUNCTIONS[node.name];
  return impl(node.args.map(ev), { now, pos: node.pos, argPos: node.args.map((a) => a.pos) });
}
