import type { JsonSchema } from "@kehu/connector-kit";
import { sapDate, sapTime } from "./sap-timestamp";
import type { SlJson } from "./service-layer-client";

export const text: JsonSchema = { type: ["string", "null"] };
export const number: JsonSchema = { type: ["number", "null"] };
export const integer: JsonSchema = { type: ["integer", "null"] };
export const date: JsonSchema = { type: ["string", "null"], pattern: "^\\d{4}-\\d{2}-\\d{2}$" };
export const time: JsonSchema = { type: ["string", "null"], pattern: "^\\d{2}:\\d{2}:\\d{2}$" };
export const yesNo: JsonSchema = { enum: ["tYES", "tNO", null] };

/** A record schema: the key fields are required and non-null; `U_` fields and others SL adds pass through. */
export function recordSchema(key: string[], properties: Record<string, JsonSchema>): JsonSchema {
  const keyed = Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [
      name,
      key.includes(name) ? { ...schema, type: (schema.type as string[]).filter((t) => t !== "null") } : schema,
    ]),
  );
  return { type: "object", required: key, properties: keyed, additionalProperties: true };
}

/**
 * Copies the listed fields (missing ones as null) and `U_` fields, with dates as `YYYY-MM-DD` and times as
 * `HH:MM:SS` whichever version sent them, so a record hashes the same from v1 and v2.
 */
export function shapeRecord(row: SlJson, fields: string[]): SlJson {
  const out: SlJson = {};
  for (const field of fields) out[field] = normalize(field, row[field]);
  for (const field of Object.keys(row)) if (field.startsWith("U_")) out[field] = row[field];
  return out;
}

function normalize(field: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value !== "string") return value;
  if (/Date$/.test(field)) return sapDate(value) ?? value;
  if (/Time$/.test(field)) return sapTime(value) ?? value;
  return value;
}

/** Rows of an inline collection (DocumentLines, PaymentInvoices…) reduced to the listed fields. */
export function shapeRows(value: unknown, fields: string[]): SlJson[] {
  return Array.isArray(value) ? value.map((row) => shapeRecord(row as SlJson, fields)) : [];
}
