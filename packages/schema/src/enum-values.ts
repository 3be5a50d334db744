import type { FieldDefinition } from "./types";

/** The stored values of an enum or multienum field, whether declared as strings or `{value, label}` objects. */
export function enumValueNames(field: Pick<FieldDefinition, "values">): string[] {
  return (field.values ?? []).map((v) => (typeof v === "string" ? v : v.value));
}
