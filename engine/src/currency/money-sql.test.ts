import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { roundScaledSql } from "./money-sql";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

/** Exact reference: rounds the decimal text `v` to `d` places, ties away from zero or to even. */
function reference(v: string, d: number, mode: "half_up" | "half_even"): string {
  const negative = v.startsWith("-");
  const [i, f = ""] = v.replace("-", "").split(".");
  const digits = BigInt(i + f);
  const unit = 10n ** BigInt(f.length);
  const scale = 10n ** BigInt(d);
  const q = (digits * scale) / unit;
  const r2 = ((digits * scale) % unit) * 2n;
  const up = r2 > unit || (r2 === unit && (mode === "half_up" || q % 2n === 1n));
  const n = up ? q + 1n : q;
  const text = n.toString().padStart(d + 1, "0");
  const out = d ? `${text.slice(0, -d)}.${text.slice(-d)}` : text;
  return negative && n !== 0n ? `-${out}` : out;
}

describe("money rounding in SQL", () => {
  it("rounds exactly like the reference and like kehu.round_money, for both rules", async () => {
    const value = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
      .map(([neg, n, s]) => {
        const t = n.toString().padStart(s + 1, "0");
        return `${neg ? "-" : ""}${s ? `${t.slice(0, -s)}.${t.slice(-s)}` : t}`;
      });
    await fc.assert(
      fc.asyncProperty(
        value,
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom("half_up", "half_even"),
        async (v, d, mode) => {
          const rule = { code: "XXX", decimals: d, rounding: mode as "half_up" | "half_even" };
          const inline = roundScaledSql(`(?::numeric * 1${"0".repeat(d)})`, rule);
          // The inline SQL repeats its operand: one binding of v per placeholder, then round_money's three.
          const uses = inline.split("?").length - 1;
          const { rows } = await db.knex.raw(
            `SELECT (${inline})::text AS a, kehu.round_money(?::numeric, ?, ?)::text AS b`,
            [...Array<string>(uses).fill(v), v, d, mode],
          );
          const want = reference(v, d, mode as "half_up" | "half_even");
          expect([v, d, mode, rows[0].a, rows[0].b]).toEqual([v, d, mode, want, want]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
