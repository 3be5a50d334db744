import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { enumValueNames } from "@kehu/schema";
import { isMoneyRollup } from "../storage/columns";
import { DEFAULT_DECIMAL_SCALE, DEFAULT_MONEY_SCALE, DEFAULT_PRECISION, decimalPattern } from "./decimal-pattern";

type JsonSchema = Record<string, unknown>;

/** Which body the schema describes: a new record, a partial update, or a record as the API returns it. */
export type RecordSchemaKind = "create" | "patch" | "read";

/** Format that refuses text PostgreSQL cannot store as sent (NUL, unpaired surrogates). */
export const STORABLE_TEXT_FORMAT = "kehu-text";

const PHONE_PATTERN = "^\\+?[0-9(][0-9 ()\\-.]{1,30}[0-9]$";

/** JSON Schema of one field's value (never null; nullability is added by the caller). */
export function fieldValueSchema(field: FieldDefinition): JsonSchema {
  const text = (extra: JsonSchema = {}): JsonSchema => ({
    type: "string",
    format: STORABLE_TEXT_FORMAT,
    ...(field.min !== undefined && { minLength: field.min }),
    ...(field.max !== undefined && { maxLength: field.max }),
    ...extra,
  });
  const described = (schema: JsonSchema): JsonSchema =>
    field.help?.en ? { ...schema, description: field.help.en } : schema;
  switch (field.type) {
    case "text":
      return described(field.pattern ? { ...text(), allOf: [{ pattern: field.pattern }] } : text());
    case "longtext":
      return described(text());
    case "email":
      return described(text({ format: "email", maxLength: Math.min(field.max ?? 254, 254) }));
    case "phone":
      return described(text({ pattern: field.pattern ?? PHONE_PATTERN, maxLength: field.max ?? 40 }));
    case "url":
      return described(text({ format: "uri", pattern: "^https?://", maxLength: field.max ?? 2048 }));
    case "integer":
      return described({
        type: "integer",
        minimum: field.min ?? Number.MIN_SAFE_INTEGER,
        maximum: field.max ?? Number.MAX_SAFE_INTEGER,
      });
    case "decimal":
      return described(decimalSchema(field, DEFAULT_DECIMAL_SCALE));
    case "money":
      return described({
        type: "object",
        properties: {
          amount: decimalSchema(field, DEFAULT_MONEY_SCALE),
          currency: field.currencies
            ? { type: "string", enum: field.currencies }
            : { type: "string", pattern: "^[A-Z]{3}$" },
        },
        required: ["amount", "currency"],
        additionalProperties: false,
      });
    case "boolean":
      return described({ type: "boolean" });
    case "date":
      return described({ type: "string", format: "date", pattern: "^(?!0000)[0-9]{4}-" });
    case "datetime":
      return described({ type: "string", format: "date-time", pattern: "^(?!0000)[0-9]{4}-" });
    case "enum":
      return described({ type: "string", enum: enumValueNames(field) });
    case "multienum":
      return described({
        type: "array",
        items: { type: "string", enum: enumValueNames(field) },
        uniqueItems: true,
        ...(field.min !== undefined && { minItems: field.min }),
        ...(field.max !== undefined && { maxItems: field.max }),
      });
    case "reference":
      return described({ type: "string", format: "uuid", description: `id of a ${field.target} record` });
    case "json":
      return described({});
    case "formula":
      return described({ ...FORMULA_SCHEMAS[field.resultType ?? "text"], readOnly: true });
    case "rollup":
      if (isMoneyRollup(field))
        return described({
          type: "object",
          properties: { amount: { type: "string" }, currency: { type: "string" } },
          description: "money in the base currency",
          readOnly: true,
        });
      return described(
        field.function === "count" ? { type: "integer", readOnly: true } : { type: "string", readOnly: true },
      );
    case "autonumber":
      return described({ type: "string", readOnly: true });
  }
}

const FORMULA_SCHEMAS: Record<string, JsonSchema> = {
  text: { type: "string" },
  integer: { type: "integer" },
  decimal: { type: "string", description: "decimal string" },
  boolean: { type: "boolean" },
  date: { type: "string", format: "date" },
  datetime: { type: "string", format: "date-time" },
};

/** Whether the engine computes a field's value (formula, rollup, autonumber): never sent in a body. */
export function isComputedField(field: FieldDefinition): boolean {
  return field.type === "formula" || field.type === "rollup" || field.type === "autonumber";
}

function decimalSchema(field: FieldDefinition, defaultScale: number): JsonSchema {
  const scale = field.scale ?? defaultScale;
  const precision = field.precision ?? DEFAULT_PRECISION;
  return {
    type: "string",
    pattern: decimalPattern(precision, scale),
    description: `decimal string, up to ${precision - scale} integer and ${scale} fraction digits`,
  };
}

function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type !== "string") return schema; // json accepts anything, null included
  const out: JsonSchema = { ...schema, type: [schema.type, "null"] };
  if (schema.enum) out.enum = [...(schema.enum as unknown[]), null];
  return out;
}

const SYSTEM_READ_PROPERTIES: Record<string, JsonSchema> = {
  id: { type: "string", format: "uuid", readOnly: true },
  version: { type: "integer", minimum: 1, readOnly: true },
  created_at: { type: "string", format: "date-time", readOnly: true },
  updated_at: { type: "string", format: "date-time", readOnly: true },
  created_by: { type: ["string", "null"], readOnly: true },
  owner_id: { type: ["string", "null"], format: "uuid", readOnly: true },
  department_id: { type: ["string", "null"], format: "uuid", readOnly: true },
  deleted_at: { type: ["string", "null"], format: "date-time", readOnly: true },
};

/**
 * The JSON Schema (draft 2020-12) of an entity's records, generated from its metadata. The API validates
 * bodies with it, serves it at `/api/meta/entities/:name/schema`, and OpenAPI and forms embed it.
 *
 * @example
 * recordJsonSchema({name: "customer", fields: [{name: "name", type: "text", required: true}]}, "create")
 * // {type: "object", properties: {name: {type: "string", ...}}, required: ["name"], additionalProperties: false}
 */
export function recordJsonSchema(entity: EntityDefinition, kind: RecordSchemaKind): JsonSchema {
  const properties: Record<string, JsonSchema> = kind === "read" ? { ...SYSTEM_READ_PROPERTIES } : {};
  const required: string[] = kind === "read" ? ["id", "version", "created_at", "updated_at"] : [];
  for (const field of entity.fields) {
    if (kind !== "read" && isComputedField(field)) continue;
    const value = { ...fieldValueSchema(field), ...(field.label?.en && { title: field.label.en }) };
    properties[field.name] = field.required && kind !== "read" ? value : nullable(value);
    if (field.required && kind === "create" && field.default === undefined) required.push(field.name);
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: entity.label?.en ?? entity.name,
    type: "object",
    properties,
    ...(required.length && { required }),
    additionalProperties: false,
  };
}
