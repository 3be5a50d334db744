import { AppError } from "@kehu/core";
import { ajvIssues, createAjv, labelSchema } from "@kehu/schema";

const ajv = createAjv();
const CODE = { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217 code, e.g. CNY" };
const RATE = {
  type: ["string", "number"],
  pattern: "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?$",
  description: 'units of the base currency for one unit, as a decimal string, e.g. "7.1234"',
};
const DATE = { type: "string", format: "date" };
const currencyProperties = {
  label: labelSchema,
  decimals: { type: "integer", minimum: 0, maximum: 6 },
  rounding: { type: "string", enum: ["half_up", "half_even"] },
  active: { type: "boolean" },
};

/** The JSON Schemas of the currency admin bodies (and the rate query), also published in the OpenAPI document. */
export const currencyInputSchemas = {
  currencyCreate: {
    type: "object",
    properties: { code: CODE, ...currencyProperties },
    required: ["code", "label", "decimals"],
    additionalProperties: false,
  },
  currencyPatch: { type: "object", properties: currencyProperties, additionalProperties: false, minProperties: 1 },
  rateCreate: {
    type: "object",
    properties: { currency: CODE, validFrom: DATE, rate: RATE },
    required: ["currency", "validFrom", "rate"],
    additionalProperties: false,
  },
  ratePatch: {
    type: "object",
    properties: { validFrom: DATE, rate: RATE },
    additionalProperties: false,
    minProperties: 1,
  },
  base: {
    type: "object",
    properties: { code: CODE },
    required: ["code"],
    additionalProperties: false,
  },
  rateQuery: {
    type: "object",
    properties: { currency: CODE, from: DATE, to: DATE },
    additionalProperties: false,
  },
} as const;

export type CurrencyInputKind = keyof typeof currencyInputSchemas;
const validators = Object.fromEntries(Object.entries(currencyInputSchemas).map(([k, s]) => [k, ajv.compile(s)]));

/**
 * Checks an admin body (or query) of the currency API against its JSON Schema; a 400 names every bad property.
 * A rate sent as a JSON number is taken as its decimal text; zero is refused (rates are positive).
 */
export function parseCurrencyInput<T = Record<string, unknown>>(kind: CurrencyInputKind, body: unknown): T {
  const validate = validators[kind];
  const input = body as Record<string, unknown>;
  if (input && typeof input.rate === "number" && Number.isFinite(input.rate)) input.rate = String(input.rate);
  const issues = validate(body) ? [] : ajvIssues(validate.errors);
  if (typeof input?.rate === "string" && /^0(\.0*)?$/.test(input.rate))
    issues.push({ path: "/rate", message: "must be greater than 0" });
  if (issues.length) throw new AppError("validation_failed", "The currency input is not valid", issues);
  return body as T;
}
