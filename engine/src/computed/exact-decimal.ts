/** An exact decimal, `v / 10^s`: the formula evaluator's numbers and the reference of the formula tests. */
export interface Dec {
  v: bigint;
  s: number;
}

const TEN = 10n;

export function dec(text: string | number): Dec {
  const [i, f = ""] = String(text).split(".");
  const negative = i.startsWith("-");
  const digits = BigInt(`${i.replace("-", "")}${f}` || "0");
  return { v: negative ? -digits : digits, s: f.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.v * TEN ** BigInt(s - a.s), b.v * TEN ** BigInt(s - b.s), s];
}

export const add = (a: Dec, b: Dec): Dec => {
  const [x, y, s] = align(a, b);
  return { v: x + y, s };
};
export const sub = (a: Dec, b: Dec): Dec => add(a, { v: -b.v, s: b.s });
export const mul = (a: Dec, b: Dec): Dec => ({ v: a.v * b.v, s: a.s + b.s });
export const cmp = (a: Dec, b: Dec): number => {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
};
export const abs = (a: Dec): Dec => ({ v: a.v < 0n ? -a.v : a.v, s: a.s });

/** Rounds half away from zero to `k` places, like PostgreSQL's round(numeric, k). */
export function round(a: Dec, k: number): Dec {
  if (a.s <= k) return a;
  const f = TEN ** BigInt(a.s - k);
  const q = a.v / f;
  const r = a.v % f;
  const away = (r < 0n ? -r : r) * 2n >= f;
  return { v: away ? q + (a.v < 0n ? -1n : 1n) : q, s: k };
}

export const toNumber = (a: Dec): number => Number(a.v) / 10 ** a.s;

/** Drops trailing zeros after the point: `12.500` becomes `12.5`. */
export function trimZeros(a: Dec): Dec {
  let { v, s } = a;
  while (s > 0 && v % TEN === 0n) {
    v /= TEN;
    s--;
  }
  return { v, s };
}

/** The decimal as text, every digit of its scale kept: `{v: -1205n, s: 2}` is `-12.05`. */
export function decText(a: Dec): string {
  const negative = a.v < 0n;
  const digits = (negative ? -a.v : a.v).toString().padStart(a.s + 1, "0");
  const whole = a.s ? `${digits.slice(0, -a.s)}.${digits.slice(-a.s)}` : digits;
  return negative ? `-${whole}` : whole;
}
