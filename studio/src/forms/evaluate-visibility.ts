/** A record value as the form holds it; money is `{amount, currency}`. */
type Values = Record<string, unknown>;

const scalar = (v: unknown): unknown =>
  v && typeof v === "object" && !Array.isArray(v) && "amount" in v ? (v as { amount: unknown }).amount : v;
const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

function compare(a: unknown, b: unknown): number {
  const x = Number(a);
  const y = Number(b);
  if (typeof a !== "boolean" && a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function test(op: string, raw: unknown, arg: unknown): boolean {
  const v = scalar(raw);
  const list = Array.isArray(arg) ? arg : [arg];
  if (op === "isNull") return empty(v) === arg;
  if (Array.isArray(v)) {
    // multienum: eq is the same set, contains has the value(s), in shares any.
    if (op === "eq") return list.length === v.length && list.every((x) => v.includes(x));
    if (op === "ne") return !test("eq", v, arg);
    if (op === "contains" || op === "in")
      return op === "in" ? list.some((x) => v.includes(x)) : list.every((x) => v.includes(x));
    if (op === "nin") return !list.some((x) => v.includes(x));
    return false;
  }
  // As on the server: ne and nin include empty values; the other comparisons never match them.
  if (op === "ne") return empty(v) || compare(v, arg) !== 0;
  if (op === "nin") return empty(v) || !list.some((x) => compare(v, x) === 0);
  if (empty(v)) return false;
  switch (op) {
    case "eq":
      return compare(v, arg) === 0;
    case "lt":
      return compare(v, arg) < 0;
    case "lte":
      return compare(v, arg) <= 0;
    case "gt":
      return compare(v, arg) > 0;
    case "gte":
      return compare(v, arg) >= 0;
    case "in":
      return list.some((x) => compare(v, x) === 0);
    case "between":
      return compare(v, list[0]) >= 0 && compare(v, list[1]) <= 0;
    case "contains":
      return String(v).toLowerCase().includes(String(arg).toLowerCase());
    case "startsWith":
      return String(v).toLowerCase().startsWith(String(arg).toLowerCase());
    default:
      return true;
  }
}

/**
 * Whether a form field's `visibleWhen` rule (a list filter AST) holds for the record being edited, with the same
 * operators and NULL rules as list filters. No rule means visible.
 *
 * @example
 * isVisible({status: {in: ["approved", "active"]}}, {status: "active"}) // true
 */
export function isVisible(rule: unknown, values: Values): boolean {
  if (!rule || typeof rule !== "object" || Array.isArray(rule)) return true;
  return Object.entries(rule).every(([key, child]) => {
    if (key === "and") return Array.isArray(child) && child.every((c) => isVisible(c, values));
    if (key === "or") return Array.isArray(child) && child.some((c) => isVisible(c, values));
    if (key === "not") return !isVisible(child, values);
    if (!child || typeof child !== "object") return true;
    return Object.entries(child).every(([op, arg]) => test(op, values[key], arg));
  });
}
