import type { Issue } from "@kehu/core";
import type { EntityDefinition, FormDefinition, FormField, FormSection } from "@kehu/schema";

/** Where a field sits in the designer: its section and its place in it. */
export interface Slot {
  section: number;
  index: number;
}

/** A first form for an entity: one two-column section with every field a user sees, in definition order. */
export function initialForm(entity: EntityDefinition, role: string | null): FormDefinition {
  return {
    entity: entity.name,
    name: role ?? "default",
    role,
    label: { en: entity.label?.en ?? entity.name, zh: entity.label?.zh ?? entity.label?.en ?? entity.name },
    sections: [
      {
        title: { en: "Details", zh: "详情" },
        columns: 2,
        fields: entity.fields.filter((f) => f.type !== "json").map((f) => ({ field: f.name })),
      },
    ],
  };
}

const withSections = (form: FormDefinition, sections: FormSection[]): FormDefinition => ({ ...form, sections });

/** Moves a field to another place (another section too); `to.index` counts in the list without the field. */
export function moveField(form: FormDefinition, from: Slot, to: Slot): FormDefinition {
  const item = form.sections[from.section]?.fields[from.index];
  if (!item) return form;
  const sections = form.sections.map((s, i) =>
    i === from.section ? { ...s, fields: s.fields.filter((_, j) => j !== from.index) } : s,
  );
  const target = sections[to.section];
  if (!target) return form;
  const index = Math.max(0, Math.min(to.index, target.fields.length));
  sections[to.section] = { ...target, fields: [...target.fields.slice(0, index), item, ...target.fields.slice(index)] };
  return withSections(form, sections);
}

/** One step up or down for the keyboard: across a section boundary it goes to the end or start of the next one. */
export function stepField(form: FormDefinition, from: Slot, delta: -1 | 1): FormDefinition {
  const index = from.index + delta;
  const length = form.sections[from.section].fields.length;
  if (index >= 0 && index < length) return moveField(form, from, { section: from.section, index });
  const section = from.section + delta;
  if (section < 0 || section >= form.sections.length) return form;
  return moveField(form, from, { section, index: delta < 0 ? form.sections[section].fields.length : 0 });
}

export function addSection(form: FormDefinition, title: { en: string; zh: string }): FormDefinition {
  return withSections(form, [...form.sections, { title, columns: 1, fields: [] }]);
}

/** Removes a section; its fields go back to the unplaced list. */
export function removeSection(form: FormDefinition, section: number): FormDefinition {
  return withSections(
    form,
    form.sections.filter((_, i) => i !== section),
  );
}

export function updateSection(form: FormDefinition, section: number, patch: Partial<FormSection>): FormDefinition {
  return withSections(
    form,
    form.sections.map((s, i) => (i === section ? { ...s, ...patch } : s)),
  );
}

/** Changes a field's options; an option set to undefined or false is left out of the definition. */
export function updateField(form: FormDefinition, at: Slot, patch: Partial<FormField>): FormDefinition {
  const clean = (f: FormField): FormField =>
    Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== false && v !== "")) as FormField;
  return withSections(
    form,
    form.sections.map((s, i) =>
      i === at.section ? { ...s, fields: s.fields.map((f, j) => (j === at.index ? clean({ ...f, ...patch }) : f)) } : s,
    ),
  );
}

export function removeField(form: FormDefinition, at: Slot): FormDefinition {
  return withSections(
    form,
    form.sections.map((s, i) => (i === at.section ? { ...s, fields: s.fields.filter((_, j) => j !== at.index) } : s)),
  );
}

/** Adds a field at the end of a section. */
export function placeField(form: FormDefinition, field: string, section: number): FormDefinition {
  return updateSection(form, section, { fields: [...form.sections[section].fields, { field }] });
}

/** The entity's fields no section shows. */
export function unplacedFields(form: FormDefinition, entity: EntityDefinition): string[] {
  const placed = new Set(form.sections.flatMap((s) => s.fields.map((f) => f.field)));
  return entity.fields.filter((f) => f.type !== "json" && !placed.has(f.name)).map((f) => f.name);
}

/** The server's issues by the row they belong to (`"0/2"` for `/sections/0/fields/2/...`), or by section (`"0"`). */
export function issuesByRow(issues: Issue[]): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const issue of issues) {
    const m = /^\/sections\/(\d+)(?:\/fields\/(\d+))?/.exec(issue.path);
    const key = m ? (m[2] !== undefined ? `${m[1]}/${m[2]}` : m[1]) : "";
    rows.set(key, [...(rows.get(key) ?? []), issue.message]);
  }
  return rows;
}
