import { abs, dec, round } from "../computed/exact-decimal";
import { FormulaError } from "../computed/formula-ast";
import { asNumber, asText, textOf, type Value } from "./expression-value";

/** What a function needs besides its arguments. */
export interface CallContext {
  now: () => Date;
  pos: number;
  argPos: number[];
}

type Impl = (args: Value[], ctx: CallContext) => Value;

const text = (name: string, f: (s: string) => Value): Impl => {
  return ([a], ctx) => {
    const s = asText(a, ctx.argPos[0], `${name}()`);
    return s === null ? null : f(s);
  };
};

const chars = (s: string) => [...s];

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function temporal(v: Value, pos: number, name: string): Date | null {
  if (v === null) return null;
  if (typeof v === "string" && DATE.test(v)) {
    const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new FormulaError(pos, `${name}() needs a date or datetime, got ${JSON.stringify(textOf(v))}`);
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const dayNumber = (d: Date) => Math.floor(Date.parse(`${isoDate(d)}T00:00:00Z`) / 86_400_000);

function integerArg(v: Value, pos: number, name: string): number | null {
  const n = asNumber(v, pos, `${name}()`);
  if (n === null) return null;
  if (n.s !== 0 && n.v % 10n ** BigInt(n.s) !== 0n) throw new FormulaError(pos, `${name}() needs a whole number`);
  return Number(n.v / 10n ** BigInt(n.s));
}

const datePart =
  (name: string, part: (d: Date) => number): Impl =>
  ([a], ctx) => {
    const d = temporal(a, ctx.argPos[0], name);
    return d === null ? null : dec(part(d));
  };

/**
 * The JavaScript side of every formula function except `if` and `coalesce` (which the evaluator runs lazily).
 * Null in gives null out, as in SQL; `concat` skips nulls like PostgreSQL's.
 */
export const EXPRESSION_FUNCTIONS: Record<string, Impl> = {
  concat: (args) => args.map((a) => textOf(a) ?? "").join(""),
  upper: text("upper", (s) => s.toUpperCase()),
  lower: text("lower", (s) => s.toLowerCase()),
  length: text("length", (s) => dec(chars(s).length)),
  left: ([a, n], ctx) => {
    const s = asText(a, ctx.argPos[0], "left()");
    const k = integerArg(n, ctx.argPos[1], "left");
    if (s === null || k === null) return null;
    const c = chars(s);
    return c.slice(0, k < 0 ? Math.max(0, c.length + k) : k).join("");
  },
  right: ([a, n], ctx) => {
    const s = asText(a, ctx.argPos[0], "right()");
    const k = integerArg(n, ctx.argPos[1], "right");
    if (s === null || k === null) return null;
    const c = chars(s);
    return c.slice(k < 0 ? Math.min(c.length, -k) : Math.max(0, c.length - k)).join("");
  },
  round: ([x, n], ctx) => {
    const v = asNumber(x, ctx.argPos[0], "round()");
    const k = n === undefined ? 0 : integerArg(n, ctx.argPos[1], "round");
    if (v === null || k === null) return null;
    if (k < 0) throw new FormulaError(ctx.argPos[1], "round() needs 0 or more digits");
    return round(v, k);
  },
  abs: ([x], ctx) => {
    const v = asNumber(x, ctx.argPos[0], "abs()");
    return v === null ? null : abs(v);
  },
  today: (_args, ctx) => isoDate(ctx.now()),
  now: (_args, ctx) => ctx.now().toISOString(),
  year: datePart("year", (d) => d.getUTCFullYear()),
  month: datePart("month", (d) => d.getUTCMonth() + 1),
  day: datePart("day", (d) => d.getUTCDate()),
  days_between: ([a, b], ctx) => {
    const from = temporal(a, ctx.argPos[0], "days_between");
    const to = temporal(b, ctx.argPos[1], "days_between");
    return from === null || to === null ? null : dec(dayNumber(to) - dayNumber(from));
  },
  add_days: ([a, n], ctx) => {
    const d = temporal(a, ctx.argPos[0], "add_days");
    const k = integerArg(n, ctx.argPos[1], "add_days");
    return d === null || k === null ? null : isoDate(new Date((dayNumber(d) + k) * 86_400_000));
  },
};
