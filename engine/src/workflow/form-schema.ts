import type { FormField } from "./extension-elements";

export const DEFAULT_OUTCOMES = ["approve", "reject", "return"];

function fieldSchema(field: FormField): Record<string, unknown> {
  const constraint = (name: string) => field.validation?.constraints?.find((c) => c.name === name)?.config;
  const schema: Record<string, unknown> = { title: field.label ?? field.id };
  switch (field.type) {
    case "long":
      schema.type = "integer";
      break;
    case "boolean":
      schema.type = "boolean";
      break;
    case "date":
      schema.type = "string";
      schema.format = "date";
      break;
    case "enum":
      schema.enum = (field.values ?? []).map((v) => v.id);
      break;
    default:
      schema.type = "string";
  }
  const min = constraint("min");
  const max = constraint("max");
  if (min !== undefined && min !== "") schema.minimum = Number(min);
  if (max !== undefined && max !== "") schema.maximum = Number(max);
  const minLength = constraint("minlength");
  const maxLength = constraint("maxlength");
  if (minLength) schema.minLength = Number(minLength);
  if (maxLength) schema.maxLength = Number(maxLength);
  return schema;
}

/**
 * The JSON Schema of a user task's form data: its `camunda:formData` fields (required ones from the `required`
 * constraint) plus `outcome`, one of the task's outcomes (property `outcomes`, default approve/reject/return), which
 * gateways route on. Nothing else may be sent.
 */
export function formSchemaOf(fields: FormField[] | undefined, outcomes: string[] | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = { outcome: { enum: outcomes ?? DEFAULT_OUTCOMES } };
  const required: string[] = outcomes ? ["outcome"] : [];
  for (const f of fields ?? []) {
    properties[f.id] = fieldSchema(f);
    if (f.validation?.constraints?.some((c) => c.name === "required")) required.push(f.id);
  }
  return { type: "object", properties, required, additionalProperties: false };
}
