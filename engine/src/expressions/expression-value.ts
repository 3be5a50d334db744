import { type Dec, dec, decText } from "../computed/exact-decimal";
import { FormulaError } from "../computed/formula-ast";

/** A value while an expression runs: numbers are exact decimals; dates and datetimes are ISO strings. */
export type Value = null | boolean | string | Dec;

const DECIMAL_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;

export function isDec(v: Value): v is Dec {
  return typeof v === "object" && v !== null;
}

/** A scope value as the evaluator sees it: JS numbers become exact decimals, Dates ISO strings, undefined null. */
export function fromScope(raw: unknown, name: string, pos: number): Value {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "boolean" || typeof raw === "string") return raw;
  if (typeof raw === "number") {
    const text = String(raw);
    if (!Number.isFinite(raw) || !DECIMAL_TEXT.test(text))
      throw new FormulaError(pos, `"${name}" holds the number ${text}, which has no exact decimal form`);
    return dec(text);
  }
  if (typeof raw === "bigint") return { v: raw, s: 0 };
  if (raw instanceof Date) return raw.toISOString();
  // A money value ({amount, currency}) reads as its amount, as money fields do in formulas.
  const amount = moneyAmount(raw);
  if (amount !== undefined) return dec(amount);
  throw new FormulaError(pos, `"${name}" holds ${Array.isArray(raw) ? "a list" : "an object"}, not a single value`);
}

function moneyAmount(raw: object): string | undefined {
  if (Array.isArray(raw)) return undefined;
  const { amount, currency, ...rest } = raw as Record<string, unknown>;
  const isMoney =
    typeof amount === "string" &&
    DECIMAL_TEXT.test(amount) &&
    typeof currency === "string" &&
    !Object.keys(rest).length;
  return isMoney ? amount : undefined;
}

/** A number operand: an exact decimal, or text that spells one (records carry decimals as strings). */
export function asNumber(v: Value, pos: number, what: string): Dec | null {
  if (v === null) return null;
  if (isDec(v)) return v;
  if (typeof v === "string" && DECIMAL_TEXT.test(v)) return dec(v);
  throw new FormulaError(pos, `${what} needs a number, got ${describeValue(v)}`);
}

export function asText(v: Value, pos: number, what: string): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  throw new FormulaError(pos, `${what} needs text, got ${describeValue(v)}`);
}

export function asBoolean(v: Value, pos: number, what: string): boolean | null {
  if (v === null || typeof v === "boolean") return v;
  throw new FormulaError(pos, `${what} needs true or false, got ${describeValue(v)}`);
}

/** A value as text, the way PostgreSQL's `::text` writes it (for concat). */
export function textOf(v: Value): string | null {
  if (v === null) return null;
  if (isDec(v)) return decText(v);
  return String(v);
}

/** The result handed back to callers: integers as JS numbers when exact, other decimals as decimal strings. */
export function toResult(v: Value): unknown {
  if (!isDec(v)) return v;
  if (v.s === 0 && v.v <= BigInt(Number.MAX_SAFE_INTEGER) && v.v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v.v);
  return decText(v);
}

export function describeValue(v: Value): string {
  if (v === null) return "null";
  if (isDec(v)) return "a number";
  if (typeof v === "boolean") return "true or false";
  return "text";
}
