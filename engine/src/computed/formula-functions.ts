import { FormulaError } from "./formula-ast";

/** The type of a formula value; `null` is the type of the literal null, which fits any other. */
export type FormulaType = "text" | "integer" | "decimal" | "boolean" | "date" | "datetime" | "null";

type Accepts = "text" | "number" | "integer" | "boolean" | "temporal" | "any";

interface FunctionSpec {
  params: Accepts[];
  /** Extra trailing arguments of the last param's kind (concat, coalesce). */
  variadic?: boolean;
  /** How many params may be left out at the end (round's digits). */
  optional?: number;
  result: (args: FormulaType[], pos: number) => FormulaType;
  sql: (args: string[]) => string;
}

const fixed = (type: FormulaType) => () => type;
const numericOf = (args: FormulaType[]) => (args[0] === "decimal" ? "decimal" : "integer");

/** Every function a formula may call; a name not listed here is refused. */
export const FORMULA_FUNCTIONS: Record<string, FunctionSpec> = {
  if: {
    params: ["boolean", "any", "any"],
    result: (a, pos) => unify(a[1], a[2], pos, "the two branches of if"),
    sql: ([c, a, b]) => `(CASE WHEN (${c}) THEN (${a}) ELSE (${b}) END)`,
  },
  concat: {
    params: ["any"],
    variadic: true,
    result: fixed("text"),
    sql: (args) => `concat(${args.map((a) => `(${a})::text`).join(", ")})`,
  },
  upper: { params: ["text"], result: fixed("text"), sql: ([a]) => `upper((${a})::text)` },
  lower: { params: ["text"], result: fixed("text"), sql: ([a]) => `lower((${a})::text)` },
  length: { params: ["text"], result: fixed("integer"), sql: ([a]) => `char_length((${a})::text)` },
  left: { params: ["text", "integer"], result: fixed("text"), sql: ([a, n]) => `left((${a})::text, (${n})::integer)` },
  right: {
    params: ["text", "integer"],
    result: fixed("text"),
    sql: ([a, n]) => `right((${a})::text, (${n})::integer)`,
  },
  round: {
    params: ["number", "integer"],
    optional: 1,
    result: fixed("decimal"),
    sql: ([x, n]) => `round((${x})::numeric, (${n ?? "0"})::integer)`,
  },
  abs: { params: ["number"], result: numericOf, sql: ([x]) => `abs((${x})::numeric)` },
  coalesce: {
    params: ["any"],
    variadic: true,
    result: (a, pos) => a.reduce((t, u) => unify(t, u, pos, "the arguments of coalesce"), "null"),
    sql: (args) => `coalesce(${args.join(", ")})`,
  },
  today: { params: [], result: fixed("date"), sql: () => "CURRENT_DATE" },
  now: { params: [], result: fixed("datetime"), sql: () => "now()" },
  year: { params: ["temporal"], result: fixed("integer"), sql: ([d]) => `extract(year from (${d})::timestamp)` },
  month: { params: ["temporal"], result: fixed("integer"), sql: ([d]) => `extract(month from (${d})::timestamp)` },
  day: { params: ["temporal"], result: fixed("integer"), sql: ([d]) => `extract(day from (${d})::timestamp)` },
  days_between: {
    params: ["temporal", "temporal"],
    result: fixed("integer"),
    sql: ([a, b]) => `((${b})::date - (${a})::date)`,
  },
  add_days: {
    params: ["temporal", "integer"],
    result: fixed("date"),
    sql: ([d, n]) => `((${d})::date + (${n})::integer)`,
  },
};

/** The spec of a function called with `count` arguments; refuses an unknown name or a wrong count at `pos`. */
export function functionSpec(name: string, count: number, pos: number): FunctionSpec {
  const spec = Object.hasOwn(FORMULA_FUNCTIONS, name) ? FORMULA_FUNCTIONS[name] : undefined;
  if (!spec)
    throw new FormulaError(pos, `unknown function "${name}"; use one of ${Object.keys(FORMULA_FUNCTIONS).join(", ")}`);
  const min = spec.params.length - (spec.optional ?? 0);
  const max = spec.variadic ? 100 : spec.params.length;
  if (count < min || count > max) {
    const range = spec.variadic ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    throw new FormulaError(pos, `${name}() takes ${range} argument(s), got ${count}`);
  }
  return spec;
}

/** Checks a call's arguments and returns its result type. */
export function callType(name: string, args: FormulaType[], argPos: number[], pos: number): FormulaType {
  const spec = functionSpec(name, args.length, pos);
  args.forEach((type, i) => {
    const accepts = spec.params[Math.min(i, spec.params.length - 1)];
    if (!accepted(accepts, type))
      throw new FormulaError(
        argPos[i],
        `argument ${i + 1} of ${name}() must be ${ACCEPTS_LABEL[accepts]}, got ${type}`,
      );
  });
  return spec.result(args, pos);
}

const ACCEPTS_LABEL: Record<Accepts, string> = {
  text: "text",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  temporal: "a date or datetime",
  any: "a value",
};

function accepted(accepts: Accepts, type: FormulaType): boolean {
  if (type === "null" || accepts === "any") return true;
  if (accepts === "number") return type === "integer" || type === "decimal";
  if (accepts === "temporal") return type === "date" || type === "datetime";
  return accepts === type;
}

/** The common type of two values (integer widens to decimal, date to datetime, null fits all), or an error. */
export function unify(a: FormulaType, b: FormulaType, pos: number, what: string): FormulaType {
  if (a === "null") return b;
  if (b === "null" || a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has("integer") && pair.has("decimal")) return "decimal";
  if (pair.has("date") && pair.has("datetime")) return "datetime";
  throw new FormulaError(pos, `${what} have different types: ${a} and ${b}`);
}
