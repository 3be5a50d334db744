import type { ErrorCode } from "@kehu/core";

/** HTTP status of each error code. Exhaustive: a new code does not compile until it is mapped here. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case "bad_request":
    case "validation_failed":
    case "malformed_json":
    case "unknown_field":
    case "bad_filter":
      return 400;
    case "unauthorized":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
    case "unknown_entity":
      return 404;
    case "version_conflict":
    case "unique_violation":
    case "reference_violation":
    case "conflict":
    case "confirmation_required":
    case "migration_refused":
    case "impact_refused":
      return 409;
    case "payload_too_large":
      return 413;
    case "import_refused":
    case "invalid_workflow":
    case "start_failed":
      return 422;
    case "unsupported_media_type":
      return 415;
    case "precondition_required":
      return 428;
    case "rate_limited":
      return 429;
    case "not_implemented":
      return 501;
    case "exchange_rate_missing":
      return 422;
  }
}

export const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Validation failed",
  malformed_json: "Malformed JSON",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  not_found: "Not found",
  unknown_entity: "Unknown entity",
  unknown_field: "Unknown field",
  bad_filter: "Bad filter",
  version_conflict: "Version conflict",
  unique_violation: "Unique value already taken",
  reference_violation: "Reference violation",
  conflict: "Conflict",
  confirmation_required: "Confirmation required",
  migration_refused: "Migration refused",
  impact_refused: "Change would break dependants",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  rate_limited: "Too many requests",
  precondition_required: "Precondition required",
  not_implemented: "Not implemented",
  import_refused: "Import refused",
  exchange_rate_missing: "Exchange rate missing",
  invalid_workflow: "Invalid workflow",
  start_failed: "Workflow start failed",
};
