export { createAjv } from "./ajv-instance";
export { ajvIssues } from "./ajv-issues";
export type {
  PlannedLevel,
  PlannedSlot,
  Quorum,
  RevisionDiff,
  SyncConnectionView,
  SyncDeadLetterStatus,
  SyncDeadLetterView,
  SyncLedgerOutcome,
  SyncLedgerView,
  UserView,
  WorkflowTriggerView,
} from "./api-views";
export { SYNC_DEAD_LETTER_STATUSES, SYNC_LEDGER_OUTCOMES } from "./api-views";
export { entitySchema } from "./entity.schema";
export { enumValueNames } from "./enum-values";
export {
  COMPUTED_FIELD_TYPES,
  enumValueSchema,
  FORMULA_RESULT_TYPES,
  fieldSchema,
  IDENTIFIER_PATTERN,
  ROLLUP_FUNCTIONS,
  STORED_FIELD_TYPES,
} from "./field.schema";
export { FILTER_OPERATORS, type FilterOperator, type FilterValueKind, OPERATORS_BY_KIND } from "./filter-operators";
export { formSchema, WIDGETS_BY_TYPE } from "./form.schema";
export { labelSchema } from "./label.schema";
export { syncConnectionSchema } from "./sync-connection.schema";
export { CONFLICT_POLICIES, syncFieldSourceSchema, syncMappingSchema } from "./sync-mapping.schema";
export type {
  EntityDefinition,
  EnumValue,
  FieldDefinition,
  FieldType,
  FormDefinition,
  FormField,
  FormSection,
  IndexDefinition,
  Label,
  SyncConnectionInput,
  SyncFieldSource,
  SyncMapping,
} from "./types";
export {
  AUTONUMBER_TOKEN,
  hasEntityShape,
  RESERVED_FIELD_NAMES,
  SYSTEM_FIELDS,
  type ValidateEntityOptions,
  validateEntity,
} from "./validate-entity";
