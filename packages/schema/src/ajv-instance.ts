import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under ESM its plugin may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** An Ajv (draft 2020-12) with the standard formats, reporting every error, as all of Kehu uses it. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: true });
  addFormats(ajv);
  return ajv;
}
