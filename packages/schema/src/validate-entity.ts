import type { Issue } from "@kehu/core";
import { pointer } from "@kehu/core";
import { createAjv } from "./ajv-instance";
import { ajvIssues } from "./ajv-issues";
import { entitySchema } from "./entity.schema";
import { enumValueNames } from "./enum-values";
import type { EntityDefinition, FieldDefinition, FieldType } from "./types";

/** Columns every entity table has; a field may not take their names. */
export const SYSTEM_FIELDS = [
  "id",
  "version",
  "created_at",
  "updated_at",
  "created_by",
  "owner_id",
  "department_id",
  "deleted_at",
] as const;

/** Names a field may not take: system columns and words the API reserves. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([...SYSTEM_FIELDS, "search", "and", "or", "not"]);

const TEXTUAL: ReadonlySet<FieldType> = new Set(["text", "longtext", "email", "phone", "url"]);
const NUMERIC: ReadonlySet<FieldType> = new Set(["integer", "decimal", "money"]);

const validateShape = createAjv().compile(entitySchema);

export interface ValidateEntityOptions {
  /** Whether an entity of that name exists (besides the one being validated); used for reference targets. */
  entityExists?: (name: string) => boolean;
  /**
   * Checks of a computed field that need other entities or the expression language (formula type-check,
   * rollup child and via); issue paths are relative to the field, e.g. `/expression`.
   */
  computedFieldIssues?: (field: FieldDefinition, entity: EntityDefinition) => Issue[];
}

/** A token of an autonumber pattern: a date part or the zero-padded sequence (`{0000}`). */
export const AUTONUMBER_TOKEN = /\{(YYYY|YY|MM|DD|0+)\}/g;
const COMPUTED: ReadonlySet<FieldType> = new Set(["formula", "rollup", "autonumber"]);

/** Whether `input` has the structure of an entity definition (types and lists as the JSON Schema says), nothing more. */
export function hasEntityShape(input: unknown): input is EntityDefinition {
  return validateShape(input);
}

/**
 * Checks an entity definition: its shape against `entitySchema`, then the rules a schema cannot say
 * (unique names, options that fit the type, targets that exist). Never throws.
 *
 * @example
 * validateEntity({name: "customer", fields: [{name: "id", type: "text"}]})
 * // [{path: "/fields/0/name", message: '"id" is a system field name'}]
 */
export function validateEntity(input: unknown, options: ValidateEntityOptions = {}): Issue[] {
  if (!validateShape(input)) return ajvIssues(validateShape.errors);
  const entity = input as EntityDefinition;
  const issues: Issue[] = [];
  const names = new Map<string, number>();
  const ids = new Map<string, number>();

  entity.fields.forEach((field, i) => {
    const at = (...rest: Array<string | number>) => pointer("fields", i, ...rest);
    if (RESERVED_FIELD_NAMES.has(field.name))
      issues.push({ path: at("name"), message: `"${field.name}" is a reserved name` });
    if (names.has(field.name))
      issues.push({
        path: at("name"),
        message: `duplicate field name "${field.name}" (also at /fields/${names.get(field.name)})`,
      });
    else names.set(field.name, i);
    if (field.id !== undefined) {
      if (ids.has(field.id)) issues.push({ path: at("id"), message: `duplicate field id "${field.id}"` });
      else ids.set(field.id, i);
    }
    issues.push(...fieldOptionIssues(field, at, entity.name, options));
    if (COMPUTED.has(field.type) && options.computedFieldIssues)
      for (const issue of options.computedFieldIssues(field, entity))
        issues.push({ path: at() + issue.path, message: issue.message });
  });

  if (entity.titleField !== undefined && !names.has(entity.titleField))
    issues.push({ path: "/titleField", message: `no field named "${entity.titleField}"` });

  (entity.indexes ?? []).forEach((index, i) => {
    const seen = new Set<string>();
    index.fields.forEach((name, j) => {
      const path = pointer("indexes", i, "fields", j);
      const field = entity.fields[names.get(name) ?? -1];
      if (!field) issues.push({ path, message: `no field named "${name}"` });
      else if (["json", "longtext", "money", "formula"].includes(field.type))
        issues.push({ path, message: `a ${field.type} field cannot be indexed` });
      if (seen.has(name)) issues.push({ path, message: `"${name}" is listed twice` });
      seen.add(name);
    });
  });
  return issues;
}

function fieldOptionIssues(
  field: FieldDefinition,
  at: (...rest: Array<string | number>) => string,
  entityName: string,
  options: ValidateEntityOptions,
): Issue[] {
  const issues: Issue[] = [];
  const t = field.type;
  const notFor = (option: keyof FieldDefinition, allowed: boolean) => {
    if (field[option] !== undefined && !allowed)
      issues.push({ path: at(option), message: `"${option}" does not apply to a ${t} field` });
  };
  notFor("values", t === "enum" || t === "multienum");
  notFor("target", t === "reference");
  notFor("onDelete", t === "reference");
  notFor("precision", t === "decimal" || t === "money");
  notFor("scale", t === "decimal" || t === "money");
  notFor("currencies", t === "money");
  notFor("pattern", t === "text" || t === "phone" || t === "autonumber");
  notFor("expression", t === "formula");
  notFor("resultType", t === "formula");
  for (const option of ["child", "via", "function", "field", "filter", "rateDate"] as const)
    notFor(option, t === "rollup");
  if (COMPUTED.has(t)) {
    notFor("required", false);
    notFor("default", false);
  }
  notFor("indexed", t !== "formula");
  notFor("min", TEXTUAL.has(t) || NUMERIC.has(t) || t === "multienum");
  notFor("max", TEXTUAL.has(t) || NUMERIC.has(t) || t === "multienum");
  notFor("searchable", TEXTUAL.has(t));
  notFor(
    "unique",
    !(["json", "multienum", "money", "longtext", "boolean", "formula", "rollup"] as FieldType[]).includes(t),
  );
  issues.push(...computedOptionIssues(field, at));

  if ((t === "enum" || t === "multienum") && field.values === undefined)
    issues.push({ path: at("values"), message: `an ${t} field needs "values"` });
  if (field.values) {
    const seen = new Set<string>();
    enumValueNames(field).forEach((v, j) => {
      if (seen.has(v)) issues.push({ path: at("values", j), message: `duplicate value "${v}"` });
      seen.add(v);
    });
  }
  if (t === "reference") {
    if (field.target === undefined) issues.push({ path: at("target"), message: 'a reference field needs "target"' });
    else if (field.target !== entityName && options.entityExists && !options.entityExists(field.target))
      issues.push({ path: at("target"), message: `no entity named "${field.target}"` });
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max)
    issues.push({ path: at("min"), message: `min (${field.min}) is greater than max (${field.max})` });
  if (TEXTUAL.has(t) || t === "multienum") {
    for (const k of ["min", "max"] as const)
      if (field[k] !== undefined && (!Number.isInteger(field[k]) || (field[k] as number) < 0))
        issues.push({ path: at(k), message: "must be a whole number of characters, 0 or more" });
  }
  if (field.precision !== undefined && field.scale !== undefined && field.scale > field.precision)
    issues.push({
      path: at("scale"),
      message: `scale (${field.scale}) is greater than precision (${field.precision})`,
    });
  if (field.pattern !== undefined && t !== "autonumber") {
    try {
      new RegExp(field.pattern, "u");
    } catch (e) {
      issues.push({ path: at("pattern"), message: `not a valid regular expression: ${(e as Error).message}` });
    }
  }
  if (field.default !== undefined) {
    const problem = defaultProblem(field);
    if (problem) issues.push({ path: at("default"), message: problem });
  }
  return issues;
}

function computedOptionIssues(field: FieldDefinition, at: (...rest: Array<string | number>) => string): Issue[] {
  const issues: Issue[] = [];
  const need = (option: keyof FieldDefinition) => {
    if (field[option] === undefined)
      issues.push({ path: at(option), message: `a ${field.type} field needs "${option}"` });
  };
  if (field.type === "formula") {
    need("expression");
    need("resultType");
  }
  if (field.type === "rollup") {
    need("child");
    need("via");
    need("function");
    if (field.function !== "count") need("field");
  }
  if (field.type === "autonumber") {
    need("pattern");
    const pattern = field.pattern ?? "";
    const sequences = [...pattern.matchAll(AUTONUMBER_TOKEN)].filter((m) => m[1].startsWith("0"));
    if (field.pattern !== undefined && sequences.length !== 1)
      issues.push({ path: at("pattern"), message: 'must hold exactly one sequence token like "{0000}"' });
    const unknown = /\{[^}]*\}/g.exec(pattern.replace(AUTONUMBER_TOKEN, ""));
    if (unknown)
      issues.push({
        path: at("pattern"),
        message: `unknown token "${unknown[0]}"; use {YYYY}, {YY}, {MM}, {DD} and one {0000}`,
      });
  }
  return issues;
}

function defaultProblem(field: FieldDefinition): string | undefined {
  const d = field.default;
  switch (field.type) {
    case "integer":
      return Number.isSafeInteger(d) ? undefined : "must be a whole number";
    case "decimal":
      return typeof d === "string" || typeof d === "number" ? undefined : "must be a decimal string";
    case "boolean":
      return typeof d === "boolean" ? undefined : "must be true or false";
    case "enum":
      return typeof d === "string" && enumValueNames(field).includes(d)
        ? undefined
        : "must be one of the field's values";
    case "multienum":
      return Array.isArray(d) && d.every((v) => typeof v === "string" && enumValueNames(field).includes(v))
        ? undefined
        : "must be a list of the field's values";
    case "json":
      return undefined;
    case "money":
    case "reference":
      return `a ${field.type} field cannot have a default`;
    default:
      return typeof d === "string" ? undefined : "must be a string";
  }
}
