import type { SheetCell } from "./sheet-row";

/**
 * An ExcelJS cell value as a plain cell: rich text and hyperlinks give their text, formulas their cached result,
 * errors their code (`#N/A`), dates stay dates.
 */
export function xlsxCell(value: unknown): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value !== "object") return String(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return (v.richText as Array<{ text?: string }>).map((r) => r.text ?? "").join("");
  if ("result" in v) return xlsxCell(v.result);
  if ("formula" in v || "sharedFormula" in v) return null;
  if ("text" in v) return xlsxCell(v.text);
  if (typeof v.error === "string") return v.error;
  return null;
}
