import type { Dependent, DependentSource } from "../metadata/dependents";
import { listForms } from "./form-store";

/** The fields a form shows, so dropping one names the form: `form "default" of contract shows amount`. */
export const formDependents: DependentSource = async (knex) => {
  const found: Dependent[] = [];
  for (const { definition: form } of await listForms(knex)) {
    const fields = new Set<string>();
    for (const section of form.sections)
      for (const item of section.fields) {
        fields.add(item.field);
        for (const name of filterFieldNames(item.visibleWhen)) fields.add(name);
      }
    for (const field of fields)
      found.push({
        kind: "form",
        id: `${form.entity}/${form.name}/${field}`,
        label: `form "${form.name}" of ${form.entity} shows ${field}`,
        entity: form.entity,
        field,
      });
  }
  return found;
};

/** The field names a filter AST compares. */
export function filterFieldNames(ast: unknown): string[] {
  if (!ast || typeof ast !== "object" || Array.isArray(ast)) return [];
  const names: string[] = [];
  for (const [key, child] of Object.entries(ast)) {
    if (key === "and" || key === "or") {
      if (Array.isArray(child)) for (const c of child) names.push(...filterFieldNames(c));
    } else if (key === "not") names.push(...filterFieldNames(child));
    else names.push(key.split(".")[0]);
  }
  return names;
}
