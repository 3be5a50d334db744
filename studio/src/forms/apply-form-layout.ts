import type { FormDefinition } from "@kehu/schema";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { labelText } from "../lib/labels";
import { isVisible } from "./evaluate-visibility";

/** A section as the sections template lays it out: a title, its columns and the fields shown in it. */
export interface LaidOutSection {
  title: string;
  columns: number;
  fields: string[];
}

// Widgets rjsf has by name; the others (money, reference, date...) keep the field type's own input.
const RJSF_WIDGETS = new Set([
  "text",
  "textarea",
  "updown",
  "checkbox",
  "radio",
  "select",
  "checkboxes",
  "email",
  "url",
]);

/**
 * Reshapes the entity's rjsf form by a form definition: only the fields its sections place and whose
 * `visibleWhen` holds for `values`, in its order, with its widgets, help, read-only and required marks; the
 * sections go to `ui:options.sections` for the sections template.
 */
export function applyFormLayout(
  base: { schema: RJSFSchema; uiSchema: UiSchema },
  form: FormDefinition,
  values: Record<string, unknown>,
  language: string,
): { schema: RJSFSchema; uiSchema: UiSchema } {
  const known = (base.schema.properties ?? {}) as Record<string, RJSFSchema>;
  const properties: Record<string, RJSFSchema> = {};
  const required = new Set(
    (base.schema.required ?? []).filter((n) => form.sections.some((s) => s.fields.some((f) => f.field === n))),
  );
  const uiSchema: UiSchema = { ...base.uiSchema };
  const sections: LaidOutSection[] = [];
  for (const section of form.sections) {
    const shown: string[] = [];
    for (const item of section.fields) {
      if (!known[item.field] || !isVisible(item.visibleWhen, values)) {
        required.delete(item.field);
        continue;
      }
      properties[item.field] = known[item.field];
      const ui: UiSchema = { ...(base.uiSchema[item.field] as UiSchema | undefined) };
      if (item.help) ui["ui:help"] = labelText(item.help, "", language);
      if (item.widget && RJSF_WIDGETS.has(item.widget)) ui["ui:widget"] = item.widget;
      if (item.readOnly) ui["ui:readonly"] = true;
      if (item.required && !item.readOnly) required.add(item.field);
      uiSchema[item.field] = ui;
      shown.push(item.field);
    }
    if (shown.length)
      sections.push({ title: labelText(section.title, "", language), columns: section.columns, fields: shown });
  }
  uiSchema["ui:order"] = sections.flatMap((s) => s.fields);
  uiSchema["ui:options"] = { ...(base.uiSchema["ui:options"] as object | undefined), sections };
  return { schema: { ...base.schema, properties, required: [...required] }, uiSchema };
}
