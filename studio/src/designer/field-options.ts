import type { FieldDefinition, FieldType } from "@kehu/schema";
import { STORED_FIELD_TYPES } from "@kehu/schema";

export const FIELD_TYPES: readonly FieldType[] = STORED_FIELD_TYPES;

/** A field option the designer edits, and the types it applies to (as `validateEntity` allows them). */
export type FieldOption =
  | "required"
  | "default"
  | "unique"
  | "indexed"
  | "searchable"
  | "min"
  | "max"
  | "pattern"
  | "precision"
  | "scale"
  | "currencies"
  | "values"
  | "target"
  | "onDelete"
  | "expression"
  | "resultType"
  | "rollup";

const TEXTUAL = ["text", "longtext", "email", "phone", "url"];
const NUMERIC = ["integer", "decimal", "money"];
const COMPUTED = ["formula", "rollup", "autonumber"];

/** Whether the designer shows an option for a type. */
export function hasOption(type: FieldType, option: FieldOption): boolean {
  switch (option) {
    case "required":
    case "default":
      return !COMPUTED.includes(type) && type !== "json" && type !== "money";
    case "unique":
      return !["json", "multienum", "money", "longtext", "boolean", "formula", "rollup"].includes(type);
    case "indexed":
      return !["formula", "json", "longtext"].includes(type);
    case "searchable":
      return TEXTUAL.includes(type);
    case "min":
    case "max":
      return TEXTUAL.includes(type) || NUMERIC.includes(type) || type === "multienum";
    case "pattern":
      return type === "text" || type === "phone" || type === "autonumber";
    case "precision":
    case "scale":
      return type === "decimal" || type === "money";
    case "currencies":
      return type === "money";
    case "values":
      return type === "enum" || type === "multienum";
    case "target":
    case "onDelete":
      return type === "reference";
    case "expression":
    case "resultType":
      return type === "formula";
    case "rollup":
      return type === "rollup";
  }
}

const OPTION_KEYS: Array<keyof FieldDefinition> = [
  "required",
  "default",
  "unique",
  "indexed",
  "searchable",
  "min",
  "max",
  "pattern",
  "precision",
  "scale",
  "currencies",
  "values",
  "target",
  "onDelete",
  "expression",
  "resultType",
  "child",
  "via",
  "function",
  "field",
  "filter",
];

/**
 * A field as the API should get it: options of other types dropped (a type change leaves none behind), empty
 * texts, false flags and empty labels left out.
 */
export function cleanField(field: FieldDefinition): FieldDefinition {
  const out: Record<string, unknown> = { ...field };
  for (const key of OPTION_KEYS) {
    const option: FieldOption = ["child", "via", "function", "field", "filter"].includes(key)
      ? "rollup"
      : (key as FieldOption);
    const v = out[key];
    if (!hasOption(field.type, option) || v === undefined || v === "" || v === false || Number.isNaN(v))
      delete out[key];
  }
  for (const key of ["label", "help"] as const) {
    const label = Object.fromEntries(Object.entries(field[key] ?? {}).filter(([, v]) => v));
    if (Object.keys(label).length) out[key] = label;
    else delete out[key];
  }
  return out as FieldDefinition;
}

/** A default value typed as the field's type wants it (the input gives text). */
export function typedDefault(type: FieldType, text: string): unknown {
  if (text === "") return undefined;
  if (type === "integer") return Number.isInteger(Number(text)) ? Number(text) : text;
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (type === "multienum") return text.split(",").map((s) => s.trim());
  return text;
}
