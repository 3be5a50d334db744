import { readPath } from "./field-source";

/** The external key of a stream record: the value of a one-field key, or a JSON array of a composite one. */
export function externalKeyOf(record: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const values = fields.map((f) => readPath(record, f));
  if (values.some((v) => v === undefined || v === null || v === "")) return undefined;
  return fields.length === 1 ? String(values[0]) : JSON.stringify(values);
}
