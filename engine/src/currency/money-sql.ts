import type { RoundingMode } from "./currencies";
import { WIDE } from "./currency-system-step";

/** What rounding to a currency needs: its code (checked `^[A-Z]{3}$`), minor units and rule. */
export interface CurrencyRule {
  code: string;
  decimals: number;
  rounding: RoundingMode;
}

const literal = (code: string) => {
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`not a currency code: ${code}`);
  return `'${code}'`;
};

/**
 * The SQL of the rate to the base of `currency` (an SQL expression) on `day`: 1 for the base, else the latest rate
 * valid from that day or before (an index lookup); none raises `kehu.missing_rate`, which names both. Inline SQL
 * rather than `kehu.exchange_rate()`, so a report over many rows costs no function call per row.
 */
export function rateSql(currency: string, day: string, base: string): string {
  const lookup = `(SELECT "r".rate FROM kehu.exchange_rates AS "r" WHERE "r".currency = ${currency} AND "r".valid_from <= ${day} ORDER BY "r".valid_from DESC LIMIT 1)`;
  return `(CASE WHEN ${currency} IS NULL THEN NULL WHEN ${currency} = ${literal(base)} THEN 1::numeric ELSE coalesce(${lookup}, kehu.missing_rate(${currency}, ${day})) END)`;
}

/** `amount` in `currency` converted to `target` on `day`, times 10^decimals of the target (not yet rounded). */
export function scaledMoneySql(amount: string, currency: string, day: string, base: string, target: CurrencyRule) {
  const to = target.code === base ? "" : ` * ${WIDE} / ${rateSql(literal(target.code), day, base)}`;
  return `(${amount} * ${rateSql(currency, day, base)} * 1${"0".repeat(target.decimals)}${to})`;
}

/**
 * Rounds a scaled value (`scaledMoneySql`) to the target's minor units by its rule, exactly: half_up rounds a tie
 * away from zero (PostgreSQL's numeric round), half_even to the even neighbour. `scaled` should be a plain column
 * reference: it is repeated.
 */
export function roundScaledSql(scaled: string, target: CurrencyRule): string {
  const whole =
    target.rounding === "half_up"
      ? `round(${scaled})`
      : `(CASE WHEN abs(${scaled} - trunc(${scaled})) = 0.5 AND mod(trunc(${scaled}), 2) = 0 THEN trunc(${scaled}) ELSE round(${scaled}) END)`;
  // Multiplied by 1e-d, not divided by 10^d: numeric division may keep too few digits of a large value.
  return `round(${whole} * 1e-${target.decimals}, ${target.decimals})`;
}
