import type { FieldDefinition } from "@kehu/schema";
import { currencyColumn } from "../storage/identifiers";

/** Which part of a field a column holds: its value, or a money field's currency. */
export type FieldPart = "value" | "currency";

/** How export names its columns: field names, or English or Chinese labels. */
export type HeaderStyle = "name" | "en" | "zh";

/** A header as compared when matching: NFKC, no case, no spaces, underscores or brackets. */
export function normaliseHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_()[\]【】]+/g, "");
}

/** Every header text that names a field's part: its name, its labels, and for the currency `<x> currency` forms. */
export function headerForms(field: FieldDefinition, part: FieldPart): string[] {
  const en = field.label?.en;
  const zh = field.label?.zh;
  if (part === "value") return [field.name, en, zh].filter((s): s is string => !!s);
  return [
    currencyColumn(field.name),
    `${field.name} currency`,
    ...(en ? [`${en} currency`] : []),
    ...(zh ? [`${zh}币种`, `${zh}货币`] : []),
  ];
}

/** The header export writes for a field's part. */
export function exportHeader(field: FieldDefinition, part: FieldPart, style: HeaderStyle): string {
  const label = style === "name" ? field.name : style === "zh" ? (field.label?.zh ?? field.label?.en) : field.label?.en;
  if (part === "value") return label ?? field.name;
  if (style === "name" || !label) return currencyColumn(field.name);
  return style === "zh" ? `${label}（币种）` : `${label} (currency)`;
}
