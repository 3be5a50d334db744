import { fieldSchema, IDENTIFIER_PATTERN } from "./field.schema";
import { labelSchema } from "./label.schema";

const fieldList = { type: "array", items: { type: "string" }, minItems: 1, maxItems: 16 } as const;

/**
 * An entity definition: the single source of its table, API, JSON Schema, form and OpenAPI section.
 *
 * @example
 * {"name": "customer", "label": {"en": "Customer", "zh": "客户"}, "titleField": "name",
 *  "fields": [{"name": "name", "type": "text", "required": true}]}
 */
export const entitySchema = {
  $id: "https://kehu.dev/schema/entity.json",
  type: "object",
  properties: {
    name: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48 },
    label: labelSchema,
    description: labelSchema,
    titleField: { type: "string" },
    ownership: { type: "string", enum: ["user", "department", "none"] },
    audit: { type: "boolean" },
    fields: { type: "array", items: fieldSchema, minItems: 1, maxItems: 500 },
    indexes: {
      type: "array",
      items: {
        type: "object",
        properties: { fields: fieldList, unique: { type: "boolean" } },
        required: ["fields"],
        additionalProperties: false,
      },
    },
  },
  required: ["name", "fields"],
  additionalProperties: false,
} as const;
