import type { Issue } from "@kehu/core";
import { ajvIssues, createAjv } from "@kehu/schema";
import type { ValidateFunction } from "ajv";

const ajv = createAjv();
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator of a JSON Schema, once per distinct schema; throws when ajv refuses to compile it. */
function validatorOf(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Problems of a value against a JSON Schema, as issues under `base`; throws when the schema does not compile. */
export function schemaIssues(schema: object, value: unknown, base = ""): Issue[] {
  const validate = validatorOf(schema);
  if (validate(value)) return [];
  return ajvIssues(validate.errors, base);
}

/** Why a JSON Schema cannot be used to validate (ajv refuses to compile it), or undefined when it can. */
export function schemaProblem(schema: object): string | undefined {
  try {
    validatorOf(schema);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
