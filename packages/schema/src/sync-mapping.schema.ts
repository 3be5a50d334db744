import { IDENTIFIER_PATTERN } from "./field.schema";

const sourceField = { type: "string", minLength: 1, maxLength: 200 } as const;

/** How one entity field gets its value from a stream record (and, where it can be reversed, gives it back). */
export const syncFieldSourceSchema = {
  anyOf: [
    sourceField,
    { type: "object", properties: { const: {} }, required: ["const"], additionalProperties: false },
    {
      type: "object",
      properties: { expr: { type: "string", minLength: 1, maxLength: 2000 } },
      required: ["expr"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        valueMap: {
          type: "object",
          properties: {
            field: sourceField,
            map: { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } },
            default: { type: ["string", "number", "boolean", "null"] },
          },
          required: ["field", "map"],
          additionalProperties: false,
        },
      },
      required: ["valueMap"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        lookup: {
          type: "object",
          properties: {
            entity: { type: "string", pattern: IDENTIFIER_PATTERN },
            by: { type: "string", pattern: IDENTIFIER_PATTERN },
            from: sourceField,
          },
          required: ["entity", "by", "from"],
          additionalProperties: false,
        },
      },
      required: ["lookup"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        money: {
          type: "object",
          properties: {
            amount: sourceField,
            currency: sourceField,
            defaultCurrency: { type: "string", pattern: "^[A-Z]{3}$" },
          },
          required: ["amount"],
          additionalProperties: false,
        },
      },
      required: ["money"],
      additionalProperties: false,
    },
    {
      type: "object",
      properties: {
        unit: {
          type: "object",
          properties: {
            from: sourceField,
            factor: {
              anyOf: [
                { type: "number", exclusiveMinimum: 0 },
                { type: "string", pattern: "^\\d+(\\.\\d+)?$" },
              ],
            },
          },
          required: ["from", "factor"],
          additionalProperties: false,
        },
      },
      required: ["unit"],
      additionalProperties: false,
    },
  ],
} as const;

/** What a mapping does when both the CRM record and the ERP record changed since the last sync. */
export const CONFLICT_POLICIES = ["erp_wins", "crm_wins", "newest_wins", "manual"] as const;

/**
 * A declarative mapping between a connector stream and an entity (`sync/*.mapping.yaml`).
 *
 * @example
 * {"name": "sap_customers", "connection": "sap", "stream": "business_partners", "entity": "customer",
 *  "direction": "both", "key": {"external": ["CardCode"], "entity": "code"},
 *  "fields": {"code": "CardCode", "name": "CardName", "tier": {"valueMap": {"field": "GroupCode", "map": {"100": "gold"}}}},
 *  "conflict": "manual"}
 */
export const syncMappingSchema = {
  $id: "https://kehu.dev/schema/sync-mapping.json",
  type: "object",
  properties: {
    name: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 64 },
    label: { type: "string", maxLength: 200 },
    connection: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 64 },
    stream: { type: "string", minLength: 1, maxLength: 100 },
    entity: { type: "string", pattern: IDENTIFIER_PATTERN, maxLength: 48 },
    direction: { type: "string", enum: ["pull", "push", "both"] },
    key: {
      type: "object",
      properties: {
        external: { type: "array", items: sourceField, minItems: 1, maxItems: 8 },
        entity: { type: "string", pattern: IDENTIFIER_PATTERN },
      },
      required: ["external"],
      additionalProperties: false,
    },
    fields: {
      type: "object",
      propertyNames: { pattern: IDENTIFIER_PATTERN },
      additionalProperties: syncFieldSourceSchema,
      minProperties: 1,
    },
    conflict: { type: "string", enum: CONFLICT_POLICIES },
    /** ERP fields giving the record's modification time (newest_wins); the stream's cursor field by default. */
    timestamp: { type: "array", items: sourceField, minItems: 1, maxItems: 2 },
    /** A safe expression over the stream record (pull) or the entity record (push); false skips the record. */
    filter: { type: "string", minLength: 1, maxLength: 2000 },
    schedule: { type: "string", maxLength: 100 },
    enabled: { type: "boolean" },
  },
  required: ["name", "connection", "stream", "entity", "direction", "key", "fields"],
  additionalProperties: false,
} as const;
