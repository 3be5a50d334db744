import { add, cmp, type Dec, mul, sub, trimZeros } from "../computed/exact-decimal";

const TEN = 10n;
/** Digits after the point of a quotient, as PostgreSQL gives at least 16 significant digits for numeric division. */
const DIVISION_SCALE = 16;

/** `a / b`, or null when b is 0, as the formula's SQL gives (`NULLIF(b, 0)`). */
export function divide(a: Dec, b: Dec): Dec | null {
  if (b.v === 0n) return null;
  const scale = Math.max(DIVISION_SCALE, a.s, b.s);
  const num = a.v * TEN ** BigInt(b.s + scale + 1);
  const den = b.v * TEN ** BigInt(a.s);
  const q = num / den;
  const last = q % TEN;
  const rounded = q / TEN + ((last < 0n ? -last : last) >= 5n ? (q < 0n ? -1n : 1n) : 0n);
  // A quotient's scale says nothing about its precision.
  return trimZeros({ v: rounded, s: scale });
}

export const ARITHMETIC: Record<"+" | "-" | "*", (a: Dec, b: Dec) => Dec> = { "+": add, "-": sub, "*": mul };

export { cmp };
