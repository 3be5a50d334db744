import { AppError } from "@kehu/core";
import { ajvIssues, createAjv } from "@kehu/schema";

export const REPORT_FUNCTIONS = ["count", "sum", "avg", "min", "max"] as const;
export const DATE_BUCKETS = ["day", "month", "quarter", "year"] as const;
export const MAX_REPORT_LIMIT = 10_000;
export const DEFAULT_REPORT_LIMIT = 1000;

export type DateBucket = (typeof DATE_BUCKETS)[number];
export interface GroupSpec {
  field: string;
  by?: DateBucket;
}
export interface MeasureSpec {
  fn: (typeof REPORT_FUNCTIONS)[number];
  field?: string;
  as?: string;
}

/** The body of `POST /api/reports/query`. */
export interface ReportRequest {
  entity: string;
  filter?: unknown;
  search?: string;
  groupBy?: Array<string | GroupSpec>;
  measures: MeasureSpec[];
  /** `base` (default) or an ISO code: the currency money measures are converted to. */
  currency?: string;
  /** Which day's rate converts a row's money: `created_at` (default), `updated_at` or a date field. */
  rateDate?: string;
  /** Output keys, `-` for descending: `-total,region`. Default: the group keys in order. */
  sort?: string;
  limit?: number;
}

const NAME = { type: "string", minLength: 1, maxLength: 100, pattern: "^[a-z][a-z0-9_]*(\\.(amount|currency))?$" };
const KEY = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,62}$" };

/** JSON Schema of a report request. */
export const reportRequestSchema = {
  type: "object",
  properties: {
    entity: { type: "string", pattern: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", maxLength: 48 },
    filter: { type: "object" },
    search: { type: "string", maxLength: 200 },
    groupBy: {
      type: "array",
      maxItems: 4,
      items: {
        anyOf: [
          NAME,
          {
            type: "object",
            properties: { field: NAME, by: { type: "string", enum: DATE_BUCKETS } },
            required: ["field"],
            additionalProperties: false,
          },
        ],
      },
    },
    measures: {
      type: "array",
      minItems: 1,
      maxItems: 20,
      items: {
        type: "object",
        properties: { fn: { type: "string", enum: REPORT_FUNCTIONS }, field: NAME, as: KEY },
        required: ["fn"],
        additionalProperties: false,
      },
    },
    currency: { type: "string", pattern: "^(base|[A-Z]{3})$" },
    rateDate: NAME,
    sort: { type: "string", maxLength: 500 },
    limit: { type: "integer", minimum: 1, maximum: MAX_REPORT_LIMIT },
  },
  required: ["entity", "measures"],
  additionalProperties: false,
} as const;

const validate = createAjv().compile(reportRequestSchema);

/** Checks a report body against `reportRequestSchema`; a 400 names every bad property. */
export function parseReportRequest(body: unknown): ReportRequest {
  if (!validate(body))
    throw new AppError("validation_failed", "The report request is not valid", ajvIssues(validate.errors));
  return body as ReportRequest;
}
