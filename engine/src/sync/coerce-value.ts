import type { FieldDefinition } from "@kehu/schema";

/** A number as a plain decimal string, without exponent (1e-7 → "0.0000001"). */
export function decimalText(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toFixed(20).replace(/\.?0+$/, "");
}

/**
 * An external value in the shape the entity field takes: numbers as decimal strings, date-times cut to dates,
 * SAP's `tYES`/`tNO` as booleans, numbers as text. Anything else is left for record validation to judge.
 */
export function coerceValue(field: FieldDefinition, value: unknown): unknown {
  if (value === undefined || value === null || value === "") return value === "" && field.type === "text" ? "" : null;
  switch (field.type) {
    case "decimal":
      return typeof value === "number" ? decimalText(value) : value;
    case "integer":
      return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    case "date":
      return typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value) ? value.slice(0, 10) : value;
    case "boolean":
      if (value === "tYES" || value === "Y" || value === "true") return true;
      if (value === "tNO" || value === "N" || value === "false") return false;
      return value;
    case "text":
    case "longtext":
    case "phone":
    case "enum":
      return typeof value === "number" ? String(value) : value;
    default:
      return value;
  }
}
