import type { Issue } from "@kehu/core";
import { ajvIssues, createAjv } from "@kehu/schema";
import type { ValidateFunction } from "ajv";

const ajv = createAjv();
const compiled = new Map<string, ValidateFunction>();

/** Problems of a value against a JSON Schema (compiled once per distinct schema), as issues under `base`. */
export function schemaIssues(schema: object, value: unknown, base = ""): Issue[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return ajvIssues(validate.errors, base);
}

/** Why a JSON Schema cannot be used to validate (ajv refuses to compile it), or undefined when it can. */
export function schemaProblem(schema: object): string | undefined {
  try {
    schemaIssues(schema, undefined);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
