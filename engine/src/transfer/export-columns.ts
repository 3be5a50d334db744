import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { numberText } from "./cell-coercion";
import { neutralise } from "./formula-guard";
import { exportHeader, type FieldPart, type HeaderStyle } from "./header-names";

/** A value as written to a file: text, or for XLSX a number or boolean cell. */
export type ExportCell = string | number | boolean | null;

/** One column of an export: a field's part, or the record id. */
export interface ExportColumn {
  header: string;
  field: FieldDefinition | "id";
  part: FieldPart;
}

/** The columns of an export: the fields asked for (else every visible field) in definition order, money as two. */
export function exportColumns(
  entity: EntityDefinition,
  hidden: ReadonlySet<string>,
  only: ReadonlySet<string> | undefined,
  style: HeaderStyle,
): ExportColumn[] {
  const columns: ExportColumn[] = only?.has("id") ? [{ header: "id", field: "id", part: "value" }] : [];
  for (const field of entity.fields) {
    if (hidden.has(field.name) || (only && !only.has(field.name))) continue;
    columns.push({ header: exportHeader(field, "value", style), field, part: "value" });
    if (field.type === "money")
      columns.push({ header: exportHeader(field, "currency", style), field, part: "currency" });
  }
  return columns;
}

/**
 * A record's value in a column. Text that a spreadsheet would run as a formula is neutralised; numbers of numeric
 * fields are validated numbers and stay as they are (as number cells in XLSX when the number is exact).
 */
export function exportCell(
  column: ExportColumn,
  record: Record<string, unknown>,
  titles: ReadonlyMap<string, string>,
  typed: boolean,
  style: HeaderStyle,
): ExportCell {
  if (column.field === "id") return record.id as string;
  const field = column.field;
  const value = record[field.name];
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case "money": {
      const money = value as { amount: string; currency: string };
      return column.part === "currency" ? money.currency : numeric(money.amount, typed);
    }
    case "integer":
    case "decimal":
      return numeric(String(value), typed);
    case "formula":
    case "rollup":
      return typeof value === "number" || /^-?\d+(\.\d+)?$/.test(String(value))
        ? numeric(String(value), typed)
        : text(value);
    case "boolean":
      return typed ? (value as boolean) : String(value);
    case "enum":
      return neutralise(enumLabel(field, value as string, style));
    case "multienum":
      return neutralise((value as string[]).map((v) => enumLabel(field, v, style)).join("; "));
    case "reference":
      return neutralise(titles.get(value as string) ?? (value as string));
    case "json":
      return neutralise(JSON.stringify(value));
    default:
      return text(value);
  }
}

function text(value: unknown): string {
  return neutralise(value instanceof Date ? value.toISOString() : String(value));
}

function numeric(s: string, typed: boolean): ExportCell {
  if (!typed) return s;
  const n = Number(s);
  return Number.isFinite(n) && numberText(n) === s.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "") ? n : s;
}

function enumLabel(field: FieldDefinition, value: string, style: HeaderStyle): string {
  if (style === "name") return value;
  const entry = field.values?.find((v) => typeof v !== "string" && v.value === value);
  if (!entry || typeof entry === "string") return value;
  return (style === "zh" ? (entry.label?.zh ?? entry.label?.en) : entry.label?.en) ?? value;
}
