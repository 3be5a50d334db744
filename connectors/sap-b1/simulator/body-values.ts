import { sapErrors } from "./sap-error";
import type { SapRecord } from "./store";

/** SL accepts numbers sent as strings ("Quantity":"100"). */
export function numberField(body: SapRecord, field: string, fallback?: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "") return fallback;
  const parsed = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(parsed)) throw sapErrors.badRequest(`Invalid value '${String(value)}' for property '${field}'`);
  return parsed;
}

export function stringField(body: SapRecord, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** User-defined fields (U_*) are stored as sent. */
export function userFields(body: SapRecord): SapRecord {
  return Object.fromEntries(Object.entries(body).filter(([name]) => name.startsWith("U_")));
}

export function money(value: number): number {
  return Math.round(value * 100) / 100;
}

export function asRecord(value: unknown): SapRecord {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw sapErrors.badRequest("The request body must be a JSON object");
  }
  return value as SapRecord;
}
