import type { FromSchema } from "json-schema-to-ts";
import type { entitySchema } from "./entity.schema";
import type { enumValueSchema, fieldSchema, STORED_FIELD_TYPES } from "./field.schema";
import type { formSchema } from "./form.schema";
import type { labelSchema } from "./label.schema";

export type Label = FromSchema<typeof labelSchema>;
export type FieldType = (typeof STORED_FIELD_TYPES)[number];
export type EnumValue = FromSchema<typeof enumValueSchema>;
export type FieldDefinition = FromSchema<typeof fieldSchema>;
export type EntityDefinition = FromSchema<typeof entitySchema>;
export type IndexDefinition = NonNullable<EntityDefinition["indexes"]>[number];
export type FormDefinition = FromSchema<typeof formSchema>;
export type FormSection = FormDefinition["sections"][number];
export type FormField = FormSection["fields"][number];
