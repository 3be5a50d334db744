import { AppError, type Issue, pointer } from "@kehu/core";
import { ajvIssues, createAjv, type EntityDefinition, SYSTEM_FIELDS } from "@kehu/schema";
import type { ValidateFunction } from "ajv";
import { MAX_JSON_DEPTH, nestsTooDeeply } from "./json-depth";
import { isComputedField, type RecordSchemaKind, recordJsonSchema, STORABLE_TEXT_FORMAT } from "./record-schema";

const ajv = createAjv();
ajv.addFormat(STORABLE_TEXT_FORMAT, {
  type: "string",
  validate: (s: string) => !s.includes("\u0000") && s.isWellFormed(),
});

const compiled = new WeakMap<EntityDefinition, Map<RecordSchemaKind, ValidateFunction>>();
const SYSTEM = new Set<string>(SYSTEM_FIELDS);

function validatorFor(entity: EntityDefinition, kind: RecordSchemaKind): ValidateFunction {
  let byKind = compiled.get(entity);
  if (!byKind) {
    byKind = new Map();
    compiled.set(entity, byKind);
  }
  let validate = byKind.get(kind);
  if (!validate) {
    const { $schema: _, ...schema } = recordJsonSchema(entity, kind);
    validate = ajv.compile(schema);
    byKind.set(kind, validate);
  }
  return validate;
}

/**
 * Checks one record body against the entity's generated schema and returns every problem, with paths under
 * `prefix` (e.g. `/records/3`). Numbers sent for decimal and money amounts are taken as their decimal text.
 * Never throws.
 */
export function recordIssues(entity: EntityDefinition, kind: "create" | "patch", body: unknown, prefix = ""): Issue[] {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return [{ path: prefix || "/", message: "must be a JSON object of field values" }];
  const record = body as Record<string, unknown>;
  const issues: Issue[] = [];
  const computed = computedNames(entity);
  for (const key of Object.keys(record)) {
    if (SYSTEM.has(key)) issues.push({ path: prefix + pointer(key), message: "is a read-only system field" });
    if (computed.has(key)) issues.push({ path: prefix + pointer(key), message: "is computed and read-only" });
  }
  for (const field of entity.fields)
    if (field.type === "json" && nestsTooDeeply(record[field.name]))
      issues.push({ path: prefix + pointer(field.name), message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
  coerceDecimalNumbers(entity, record);
  const validate = validatorFor(entity, kind);
  const withoutSystem = issues.length
    ? Object.fromEntries(Object.entries(record).filter(([k]) => !SYSTEM.has(k) && !computed.has(k)))
    : record;
  if (!validate(withoutSystem)) issues.push(...readable(ajvIssues(validate.errors, prefix)));
  return issues;
}

/**
 * One refused record's issues in one line, e.g. `The deal record is not valid (stage: must be one of …)`; the
 * issues' paths are relative to the record.
 */
export function invalidRecordMessage(entity: string, issues: readonly Issue[]): string {
  return `The ${entity} record is not valid (${issues.map((i) => `${i.path.slice(1) || "record"}: ${i.message}`).join("; ")})`;
}

/** Like `recordIssues`, but throws one `validation_failed` error naming every problem. */
export function assertValidRecord(
  entity: EntityDefinition,
  kind: "create" | "patch",
  body: unknown,
): Record<string, unknown> {
  const issues = recordIssues(entity, kind, body);
  if (issues.length) throw new AppError("validation_failed", `The ${entity.name} record is not valid`, issues);
  return body as Record<string, unknown>;
}

const computedOf = new WeakMap<EntityDefinition, ReadonlySet<string>>();

/** The entity's computed field names, worked out once per definition (bulk writes validate 10,000s of records). */
function computedNames(entity: EntityDefinition): ReadonlySet<string> {
  let names = computedOf.get(entity);
  if (!names) {
    names = new Set(entity.fields.filter(isComputedField).map((f) => f.name));
    computedOf.set(entity, names);
  }
  return names;
}

function coerceDecimalNumbers(entity: EntityDefinition, record: Record<string, unknown>): void {
  for (const field of entity.fields) {
    const value = record[field.name];
    if (field.type === "decimal" && typeof value === "number" && Number.isFinite(value))
      record[field.name] = String(value);
    if (field.type === "money" && value && typeof value === "object") {
      const money = value as { amount?: unknown };
      if (typeof money.amount === "number" && Number.isFinite(money.amount)) money.amount = String(money.amount);
    }
  }
}

function readable(issues: Issue[]): Issue[] {
  return issues.map((i) =>
    i.message === `must match format "${STORABLE_TEXT_FORMAT}"`
      ? { ...i, message: "must not contain NUL characters or unpaired surrogates" }
      : i.message.startsWith("must match the pattern ^(?!-0")
        ? { ...i, message: 'must be a decimal string within the field\'s digits, e.g. "1234.50"' }
        : i,
  );
}
