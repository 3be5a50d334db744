import type { CompareOp, FilterNode, Literal, Operand } from "./odata-filter";
import { isDateField, isTimeField, normalizeDateLiteral, normalizeTimeLiteral } from "./sap-dates";
import { sapErrors } from "./sap-error";
import type { SapRecord } from "./store";

export type PredicateOptions = { knownFields: Set<string>; typeName: string; caseInsensitive: boolean };
type Value = Literal | undefined;

/** Enum properties accept the DB value as well as the name: CardType eq 'C' ≡ CardType eq 'cCustomer'. */
const enumAliases: Record<string, Record<string, string>> = {
  CardType: { C: "cCustomer", S: "cSupplier", L: "cLid" },
  DocumentStatus: { O: "bost_Open", C: "bost_Close" },
  LineStatus: { O: "bost_Open", C: "bost_Close" },
};
const yesNo: Record<string, string> = { Y: "tYES", N: "tNO" };
const yesNoFields = new Set(
  "Valid Frozen Cancelled InventoryItem SalesItem PurchaseItem ManageBatchNumbers ManageSerialNumbers Inactive Locked".split(
    " ",
  ),
);

type Test = (record: SapRecord) => boolean;

/** The filter as a function, compiled once per request: literals and field kinds are resolved before any record. */
export function toPredicate(node: FilterNode, options: PredicateOptions): Test {
  checkProperties(node, options);
  return compile(node, options);
}

function compile(node: FilterNode, options: PredicateOptions): Test {
  switch (node.kind) {
    case "and": {
      const [left, right] = [compile(node.left, options), compile(node.right, options)];
      return (record) => left(record) && right(record);
    }
    case "or": {
      const [left, right] = [compile(node.left, options), compile(node.right, options)];
      return (record) => left(record) || right(record);
    }
    case "not": {
      const operand = compile(node.operand, options);
      return (record) => !operand(record);
    }
    case "call":
      return (record) => callFunction(node.name, node.args, record, options);
    case "compare":
      return compileCompare(node.op, node.left, node.right, options);
  }
}

function compileCompare(op: CompareOp, left: Operand, right: Operand, options: PredicateOptions): Test {
  const field = left.kind === "property" ? left.name : right.kind === "property" ? right.name : undefined;
  const normal = normalizerOf(field, options);
  const side = (operand: Operand): ((record: SapRecord) => Value) => {
    if (operand.kind !== "literal") return (record) => normal(resolve(operand, record, options));
    const value = normal(operand.value);
    return () => value;
  };
  const [a, b] = [side(left), side(right)];
  return (record) => holds(op, a(record), b(record));
}

function holds(op: CompareOp, a: Value, b: Value): boolean {
  if (op === "eq") return a === b;
  if (op === "ne") return a !== b;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (op === "gt") return a > b;
  if (op === "ge") return a >= b;
  if (op === "lt") return a < b;
  return a <= b;
}

/**
 * `normalize` for one field: nothing to do for a plain text field compared case-sensitively (a key), otherwise
 * remembering the text values it has seen (a date or time column repeats a few).
 */
function normalizerOf(field: string | undefined, options: PredicateOptions): (value: Value) => Value {
  if (!field) return (value) => value;
  const plain =
    !options.caseInsensitive &&
    !isDateField(field) &&
    !isTimeField(field) &&
    !enumAliases[field] &&
    !yesNoFields.has(field);
  if (plain) return (value) => value;
  const seen = new Map<string, Value>();
  return (value) => {
    if (typeof value !== "string") return value;
    let out = seen.get(value);
    if (out === undefined && !seen.has(value)) {
      out = normalize(field, value, options);
      if (seen.size < 10_000) seen.set(value, out);
    }
    return out;
  };
}

function resolve(operand: Operand, record: SapRecord, options: PredicateOptions): Value {
  if (operand.kind === "literal") return operand.value;
  if (operand.kind === "call") return callFunction(operand.name, operand.args, record, options);
  const value = record[operand.name];
  return value === undefined || typeof value === "object" ? (value as null | undefined) : (value as Literal);
}

/** Dates compare by day and times by HH:MM only, as SL does; strings are case-sensitive unless asked otherwise. */
function normalize(field: string | undefined, value: Value, options: PredicateOptions): Value {
  if (typeof value !== "string" || !field) return value;
  if (isDateField(field)) return normalizeDateLiteral(value) ?? value;
  if (isTimeField(field)) return normalizeTimeLiteral(value) ?? value;
  const resolved = enumAliases[field]?.[value] ?? (yesNoFields.has(field) ? yesNo[value] : undefined) ?? value;
  return options.caseInsensitive ? resolved.toLowerCase() : resolved;
}

function callFunction(name: string, args: Operand[], record: SapRecord, options: PredicateOptions): boolean {
  const [first, second] = name === "substringof" ? [args[1], args[0]] : args;
  const field = first.kind === "property" ? first.name : undefined;
  const haystack = normalize(field, resolve(first, record, options), options);
  const needle = normalize(undefined, resolve(second, record, options), options);
  if (typeof haystack !== "string" || typeof needle !== "string") return false;
  const [h, n] = options.caseInsensitive ? [haystack.toLowerCase(), needle.toLowerCase()] : [haystack, needle];
  if (name === "startswith") return h.startsWith(n);
  if (name === "endswith") return h.endsWith(n);
  return h.includes(n);
}

function checkProperties(node: FilterNode | Operand, options: PredicateOptions): void {
  switch (node.kind) {
    case "and":
    case "or":
      checkProperties(node.left, options);
      checkProperties(node.right, options);
      return;
    case "not":
      checkProperties(node.operand, options);
      return;
    case "compare":
      checkProperties(node.left, options);
      checkProperties(node.right, options);
      return;
    case "call":
      for (const arg of node.args) checkProperties(arg, options);
      return;
    case "property":
      if (!options.knownFields.has(node.name) && !node.name.startsWith("U_")) {
        throw sapErrors.badRequest(`Property '${node.name}' of '${options.typeName}' is invalid`);
      }
      return;
    case "literal":
      return;
  }
}
