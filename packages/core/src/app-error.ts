/** One problem with one input location, as reported in problem+json `errors`. */
export interface Issue {
  /** JSON pointer-like path of the offending input, e.g. `/fields/2/type` or `/records/12/name`. */
  path: string;
  message: string;
}

/**
 * Every error code Kehu raises on purpose. The API maps each to an HTTP status in one exhaustive switch,
 * so adding a code forces the mapping to be decided.
 */
export type ErrorCode =
  | "bad_request"
  | "validation_failed"
  | "malformed_json"
  | "payload_too_large"
  | "unsupported_media_type"
  | "not_found"
  | "unknown_entity"
  | "unknown_field"
  | "bad_filter"
  | "version_conflict"
  | "unique_violation"
  | "reference_violation"
  | "conflict"
  | "confirmation_required"
  | "migration_refused"
  | "impact_refused"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "precondition_required"
  | "not_implemented"
  | "import_refused"
  | "exchange_rate_missing"
  | "invalid_workflow"
  | "start_failed";

/**
 * An error raised on purpose, with a stable code and the list of offending inputs.
 *
 * @example
 * throw new AppError("unknown_entity", `No entity named "${name}"`);
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, issues: Issue[] = [], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.issues = issues;
    this.extra = extra;
  }
}

/** True for an AppError, also across duplicated module instances. */
export function isAppError(e: unknown): e is AppError {
  return (
    e instanceof AppError || (typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AppError")
  );
}
