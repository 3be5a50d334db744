const DAY_MS = 86_400_000;
// Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for (serials from 61 on).
const EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 2_958_465; // 9999-12-31

/** The instant of an Excel date serial (days since 1899-12-30, the fraction is the time of day), or undefined. */
export function excelSerialToDate(serial: number): Date | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > MAX_SERIAL + 1) return undefined;
  return new Date(EPOCH_MS + Math.round(serial * DAY_MS));
}

/** `YYYY-MM-DD` when y, m, d name a real calendar day. */
export function isoDate(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}
