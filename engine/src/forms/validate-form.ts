import { type Issue, pointer } from "@kehu/core";
import {
  ajvIssues,
  COMPUTED_FIELD_TYPES,
  createAjv,
  type EntityDefinition,
  type FormDefinition,
  formSchema,
  WIDGETS_BY_TYPE,
} from "@kehu/schema";
import { filterIssues } from "../storage/filter-compiler";

const validateShape = createAjv().compile(formSchema);
const COMPUTED: ReadonlySet<string> = new Set(COMPUTED_FIELD_TYPES);

export interface ValidateFormOptions {
  /** The entity the form is for, if it exists. */
  entity: (name: string) => EntityDefinition | undefined;
  /** Whether a role of that name exists; unchecked when absent. */
  roleExists?: (name: string) => boolean;
}

/**
 * Checks a form definition: its shape, then against its entity (known fields, each once, widgets that fit the
 * field type, no required computed field, visibility rules that compile as list filters). Never throws.
 *
 * @example
 * validateForm({entity: "contract", name: "default", label: {en: "C"}, sections: [{title: {en: "A"}, columns: 1,
 *   fields: [{field: "nope"}]}]}, {entity: registry.get})
 * // [{path: "/sections/0/fields/0/field", message: 'contract has no field "nope"'}]
 */
export function validateForm(input: unknown, options: ValidateFormOptions): Issue[] {
  if (!validateShape(input)) return ajvIssues(validateShape.errors);
  const form = input as FormDefinition;
  const entity = options.entity(form.entity);
  if (!entity) return [{ path: "/entity", message: `no entity named "${form.entity}"` }];
  const issues: Issue[] = [];
  if (form.role && options.roleExists && !options.roleExists(form.role))
    issues.push({ path: "/role", message: `no role named "${form.role}"` });
  const fields = new Map(entity.fields.map((f) => [f.name, f]));
  const seen = new Map<string, string>();
  form.sections.forEach((section, i) => {
    section.fields.forEach((item, j) => {
      const at = (...rest: string[]) => pointer("sections", i, "fields", j, ...rest);
      const field = fields.get(item.field);
      if (!field) {
        issues.push({ path: at("field"), message: `${entity.name} has no field "${item.field}"` });
        return;
      }
      const other = seen.get(item.field);
      if (other) issues.push({ path: at("field"), message: `"${item.field}" is already placed at ${other}` });
      else seen.set(item.field, at());
      const widgets: readonly string[] = WIDGETS_BY_TYPE[field.type];
      if (item.widget !== undefined && !widgets.includes(item.widget))
        issues.push({
          path: at("widget"),
          message: `widget "${item.widget}" does not fit a ${field.type} field; use one of ${widgets.join(", ")}`,
        });
      if (item.required && COMPUTED.has(field.type))
        issues.push({
          path: at("required"),
          message: `"${item.field}" is computed (${field.type}); it cannot be required`,
        });
      if (item.required && item.readOnly)
        issues.push({ path: at("required"), message: "a read-only field cannot also be required" });
      if (item.visibleWhen !== undefined)
        issues.push(...filterIssues(entity, item.visibleWhen, { path: at("visibleWhen") }));
    });
  });
  return issues;
}
