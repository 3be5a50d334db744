import { IDENTIFIER_PATTERN } from "./field.schema";
import { labelSchema } from "./label.schema";

/** The widgets a form may pick for each field type; the first is the default. */
export const WIDGETS_BY_TYPE = {
  text: ["text", "textarea"],
  longtext: ["textarea", "text"],
  email: ["email", "text"],
  phone: ["tel", "text"],
  url: ["url", "text"],
  integer: ["updown", "text"],
  decimal: ["text", "updown"],
  money: ["money"],
  boolean: ["checkbox", "radio", "select"],
  date: ["date", "text"],
  datetime: ["datetime", "text"],
  enum: ["select", "radio"],
  multienum: ["checkboxes", "select"],
  reference: ["reference"],
  json: ["textarea"],
  formula: ["text"],
  rollup: ["text"],
  autonumber: ["text"],
} as const;

const formFieldSchema = {
  type: "object",
  properties: {
    field: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 50 },
    widget: { type: "string", minLength: 1, maxLength: 40 },
    help: labelSchema,
    readOnly: { type: "boolean" },
    required: { type: "boolean" },
    visibleWhen: { type: "object", description: "Filter AST over the record (list filter operators)." },
  },
  required: ["field"],
  additionalProperties: false,
} as const;

const formSectionSchema = {
  type: "object",
  properties: {
    title: labelSchema,
    columns: { type: "integer", enum: [1, 2, 3] },
    fields: { type: "array", items: formFieldSchema, maxItems: 500 },
  },
  required: ["title", "columns", "fields"],
  additionalProperties: false,
} as const;

/**
 * A form definition: how the record page of an entity lays out its fields, for everyone (`role: null`) or for
 * the users of one role. Checked against the entity by `validateForm` in the engine.
 *
 * @example
 * {"entity": "contract", "name": "default", "role": null, "label": {"en": "Contract", "zh": "合同"},
 *  "sections": [{"title": {"en": "Amounts", "zh": "金额"}, "columns": 2, "fields": [{"field": "amount"}]}]}
 */
export const formSchema = {
  $id: "https://kehu.dev/schema/form.json",
  type: "object",
  properties: {
    entity: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48 },
    name: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48 },
    role: { anyOf: [{ type: "string", minLength: 1, maxLength: 100 }, { type: "null" }] },
    label: labelSchema,
    sections: { type: "array", items: formSectionSchema, minItems: 1, maxItems: 50 },
  },
  required: ["entity", "name", "label", "sections"],
  additionalProperties: false,
} as const;
