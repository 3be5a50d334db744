import { labelSchema } from "./label.schema";

/** The field types; formula, rollup and autonumber are computed (read-only in record bodies). */
export const STORED_FIELD_TYPES = [
  "text",
  "longtext",
  "integer",
  "decimal",
  "money",
  "boolean",
  "date",
  "datetime",
  "enum",
  "multienum",
  "email",
  "phone",
  "url",
  "reference",
  "json",
  "formula",
  "rollup",
  "autonumber",
] as const;

/** Field types whose values the engine computes; record bodies may not send them. */
export const COMPUTED_FIELD_TYPES = ["formula", "rollup", "autonumber"] as const;

/** What a formula may evaluate to. */
export const FORMULA_RESULT_TYPES = ["text", "integer", "decimal", "boolean", "date", "datetime"] as const;

/** How a rollup folds its child rows. */
export const ROLLUP_FUNCTIONS = ["count", "sum", "min", "max", "avg"] as const;

export const IDENTIFIER_PATTERN = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

export const enumValueSchema = {
  anyOf: [
    { type: "string", minLength: 1, maxLength: 100 },
    {
      type: "object",
      properties: { value: { type: "string", minLength: 1, maxLength: 100 }, label: labelSchema },
      required: ["value"],
      additionalProperties: false,
    },
  ],
} as const;

/**
 * One field of an entity. Options that only some types use are checked by `validateEntity`,
 * which names the offending path.
 */
export const fieldSchema = {
  type: "object",
  properties: {
    id: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{2,40}$", description: "Stable id; a rename keeps it." },
    name: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 50 },
    type: { type: "string", enum: STORED_FIELD_TYPES },
    label: labelSchema,
    help: labelSchema,
    required: { type: "boolean" },
    default: {},
    unique: { type: "boolean" },
    indexed: { type: "boolean" },
    searchable: { type: "boolean" },
    min: { type: "number" },
    max: { type: "number" },
    pattern: { type: "string", minLength: 1, maxLength: 500 },
    precision: { type: "integer", minimum: 1, maximum: 38 },
    scale: { type: "integer", minimum: 0, maximum: 12 },
    values: { type: "array", items: enumValueSchema, minItems: 1, maxItems: 1000 },
    target: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48 },
    onDelete: { type: "string", enum: ["restrict", "setNull", "cascade"] },
    currencies: { type: "array", items: { type: "string", pattern: "^[A-Z]{3}$" }, minItems: 1 },
    expression: { type: "string", minLength: 1, maxLength: 2000, description: "A formula's expression." },
    resultType: { type: "string", enum: FORMULA_RESULT_TYPES },
    child: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48, description: "A rollup's child entity." },
    via: { type: "string", pattern: IDENTIFIER_PATTERN, description: "The child's reference field to this entity." },
    function: { type: "string", enum: ROLLUP_FUNCTIONS },
    field: { type: "string", pattern: IDENTIFIER_PATTERN, description: "The child field a rollup folds." },
    filter: { type: "object", description: "Filter AST over the child's fields: which rows a rollup counts." },
    rateDate: {
      type: "string",
      pattern: IDENTIFIER_PATTERN,
      description:
        "A rollup over money: the child's date (created_at or a date field) whose exchange rate converts it.",
    },
    renamedFrom: { type: "string", pattern: IDENTIFIER_PATTERN, description: "Previous name, for files without ids." },
  },
  required: ["name", "type"],
  additionalProperties: false,
} as const;
