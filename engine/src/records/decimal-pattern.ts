/** Default digits of decimal and money values when a field declares none. */
export const DEFAULT_PRECISION = 18;
export const DEFAULT_DECIMAL_SCALE = 6;
export const DEFAULT_MONEY_SCALE = 2;

/**
 * A regex for canonical decimal strings with at most `precision - scale` integer digits and `scale` fraction
 * digits. Canonical (no leading zeros, no "-0") so that what is stored comes back exactly as sent.
 */
export function decimalPattern(precision: number, scale: number): string {
  const intDigits = Math.max(precision - scale, 1);
  const int = `(0|[1-9][0-9]{0,${intDigits - 1}})`;
  const fraction = scale > 0 ? `(\\.[0-9]{1,${scale}})?` : "";
  return `^(?!-0(\\.0*)?$)-?${int}${fraction}$`;
}
