import type { EntityDefinition, FieldDefinition, Label } from "@kehu/schema";

/** A metadata label in the UI language (`zh-CN` reads `zh`), else English, else the fallback. */
export function labelText(label: Label | undefined, fallback: string, language: string): string {
  const l = label as Record<string, string | undefined> | undefined;
  if (!l) return fallback;
  const key = language.toLowerCase().startsWith("zh") ? "zh" : "en";
  return l[key] || l[language] || l.en || l.zh || fallback;
}

export function entityLabel(entity: EntityDefinition, language: string): string {
  return labelText(entity.label, entity.name, language);
}

export function fieldLabel(field: FieldDefinition, language: string): string {
  return labelText(field.label, field.name, language);
}

/** An enum field's values with their labels in the UI language. */
export function enumOptions(field: FieldDefinition, language: string): Array<{ value: string; label: string }> {
  return (field.values ?? []).map((v) =>
    typeof v === "string" ? { value: v, label: v } : { value: v.value, label: labelText(v.label, v.value, language) },
  );
}
