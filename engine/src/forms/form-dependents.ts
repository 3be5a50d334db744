import type { Dependent, DependentSource } from "../metadata/dependents";
import { filterNames } from "../security/field-access";
import { listForms } from "./form-store";

/** The fields a form shows, so dropping one names the form: `form "default" of contract shows amount`. */
export const formDependents: DependentSource = async (knex) => {
  const found: Dependent[] = [];
  for (const { definition: form } of await listForms(knex)) {
    const fields = new Set<string>();
    for (const section of form.sections)
      for (const item of section.fields) {
        fields.add(item.field);
        for (const { name } of filterNames(item.visibleWhen, "")) fields.add(name.split(".")[0]);
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
