import { add, cmp, type Dec, mul, sub } from "../computed/exact-decimal";
import { FormulaError } from "../computed/formula-ast";

const TEN = 10n;
/** Digits after the point of a quotient, as PostgreSQL gives at least 16 significant digits for numeric division. */
const DIVISION_SCALE = 16;

export function divide(a: Dec, b: Dec, pos: number): Dec {
  if (b.v === 0n) throw new FormulaError(pos, "division by zero");
  const scale = Math.max(DIVISION_SCALE, a.s, b.s);
  const num = a.v * TEN ** BigInt(b.s + scale + 1);
  const den = b.v * TEN ** BigInt(a.s);
  const q = num / den;
  const last = q % TEN;
  const rounded = q / TEN + ((last < 0n ? -last : last) >= 5n ? (q < 0n ? -1n : 1n) : 0n);
  return trim({ v: rounded, s: scale });
}

/** Drops trailing zeros after the point (a quotient's scale says nothing about its precision). */
function trim(d: Dec): Dec {
  let { v, s } = d;
  while (s > 0 && v % TEN === 0n) {
    v /= TEN;
    s--;
  }
  return { v, s };
}

export const ARITHMETIC: Record<"+" | "-" | "*", (a: Dec, b: Dec) => Dec> = { "+": add, "-": sub, "*": mul };

export { cmp };
