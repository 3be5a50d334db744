export { createAjv } from "./ajv-instance";
export { ajvIssues } from "./ajv-issues";
export { entitySchema } from "./entity.schema";
export { enumValueNames } from "./enum-values";
export { enumValueSchema, fieldSchema, IDENTIFIER_PATTERN, STORED_FIELD_TYPES } from "./field.schema";
export { labelSchema } from "./label.schema";
export type { EntityDefinition, EnumValue, FieldDefinition, FieldType, IndexDefinition, Label } from "./types";
export { RESERVED_FIELD_NAMES, SYSTEM_FIELDS, validateEntity } from "./validate-entity";
