export { labelSchema } from "./label.schema";
export { fieldSchema, enumValueSchema, STORED_FIELD_TYPES, IDENTIFIER_PATTERN } from "./field.schema";
export { entitySchema } from "./entity.schema";
export { validateEntity, SYSTEM_FIELDS, RESERVED_FIELD_NAMES } from "./validate-entity";
export { enumValueNames } from "./enum-values";
export { createAjv } from "./ajv-instance";
export { ajvIssues } from "./ajv-issues";
export type { EntityDefinition, FieldDefinition, FieldType, EnumValue, IndexDefinition, Label } from "./types";
