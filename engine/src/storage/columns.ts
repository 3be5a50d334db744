import type { FieldDefinition, FieldType } from "@kehu/schema";
import { currencyColumn } from "./identifiers";

/** A physical column a field is stored in. */
export interface ColumnSpec {
  name: string;
  sqlType: string;
}

const SQL_TYPES: Record<Exclude<FieldType, "money" | "formula" | "rollup">, string> = {
  text: "text",
  longtext: "text",
  integer: "bigint",
  // Unconstrained numeric keeps the scale it was given ("1.50" stays "1.50"); the declared scale is validated.
  decimal: "numeric",
  boolean: "boolean",
  date: "date",
  datetime: "timestamptz",
  enum: "text",
  multienum: "text[]",
  email: "text",
  phone: "text",
  url: "text",
  reference: "uuid",
  json: "jsonb",
  autonumber: "text",
};

/** The columns a field is stored in: one, two for money (amount and currency), none for a formula. */
export function columnsOf(field: Pick<FieldDefinition, "name" | "type" | "function" | "rateDate">): ColumnSpec[] {
  if (field.type === "formula") return [];
  if (field.type === "rollup" && !isMoneyRollup(field))
    return [{ name: field.name, sqlType: field.function === "count" ? "bigint" : "numeric" }];
  if (field.type === "money" || field.type === "rollup")
    return [
      { name: field.name, sqlType: "numeric" },
      { name: currencyColumn(field.name), sqlType: "text" },
    ];
  return [{ name: field.name, sqlType: SQL_TYPES[field.type] }];
}

/** A rollup over a money field (it names the date whose rate converts): a money value in the base currency. */
export function isMoneyRollup(field: Pick<FieldDefinition, "type" | "function" | "rateDate">): boolean {
  return field.type === "rollup" && field.function !== "count" && field.rateDate !== undefined;
}

/** Field types whose values feed the search column unless a field says `searchable: false`. */
export const SEARCHABLE_TYPES: ReadonlySet<FieldType> = new Set(["text", "email", "phone", "url"]);

/** The fields whose text is searched: text-like fields not opted out, or opted in (longtext). */
export function searchableFields(fields: readonly FieldDefinition[]): FieldDefinition[] {
  return fields.filter((f) => f.searchable ?? SEARCHABLE_TYPES.has(f.type));
}

/** System columns every entity table has, in table order. */
export const SYSTEM_COLUMNS: ColumnSpec[] = [
  { name: "id", sqlType: "uuid" },
  { name: "version", sqlType: "integer" },
  { name: "created_at", sqlType: "timestamptz" },
  { name: "updated_at", sqlType: "timestamptz" },
  { name: "created_by", sqlType: "text" },
  { name: "owner_id", sqlType: "uuid" },
  { name: "department_id", sqlType: "uuid" },
  { name: "deleted_at", sqlType: "timestamptz" },
];
