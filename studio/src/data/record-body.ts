import type { KehuRecord } from "@kehu/client";
import type { EntityDefinition } from "@kehu/schema";
import { editableFields } from "./form-schema";

/** A record as form data: nulls left out (rjsf treats missing as empty), system columns dropped. */
export function toFormData(entity: EntityDefinition, record: KehuRecord | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (!record) return data;
  for (const field of entity.fields) {
    const value = record[field.name];
    if (value !== null && value !== undefined) data[field.name] = value;
  }
  return data;
}

/** The body of a new record: the editable fields the user filled in, as typed. */
export function createBody(entity: EntityDefinition, form: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of editableFields(entity)) {
    const value = form[field.name];
    if (value !== undefined && value !== "") body[field.name] = value;
  }
  return body;
}

/** The fields that changed since the record was loaded; a cleared field is sent as null. */
export function patchBody(
  entity: EntityDefinition,
  before: Record<string, unknown>,
  form: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of editableFields(entity)) {
    const now = form[field.name] === "" ? undefined : form[field.name];
    if (JSON.stringify(now) !== JSON.stringify(before[field.name])) patch[field.name] = now ?? null;
  }
  return patch;
}
