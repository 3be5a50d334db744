import { AppError } from "@kehu/core";
import { MISSING_RATE_SQLSTATE } from "../currency/currency-system-step";

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

/**
 * Turns a database error caused by the caller's input (duplicate key, missing reference, bad value)
 * into an AppError; returns undefined for real server faults.
 */
export function appErrorFromDatabase(e: unknown): AppError | undefined {
  const err = e as PgError;
  if (typeof err?.code !== "string" || err.code.length !== 5) return undefined;
  switch (err.code) {
    case "23505": {
      const field = /\(([^)]+)\)=/.exec(err.detail ?? "")?.[1];
      return new AppError(
        "unique_violation",
        field ? `Another record already has this ${field}` : "A unique value is already taken",
        field ? [{ path: `/${field.split(", ")[0]}`, message: "is already taken by another record" }] : [],
      );
    }
    case "23503":
      return new AppError(
        "reference_violation",
        "The record refers to a record that does not exist, or is referred to",
      );
    case "23502":
      return new AppError("validation_failed", "A required value is missing");
    case "22P02":
    case "22003":
    case "22007":
    case "22008":
    case "22001":
    case "22023":
    case "22P05":
    case "22021":
    case "2202E":
    case "22030":
    case "22032":
      return new AppError("bad_request", invalidValueMessage(err.message ?? ""));
    case MISSING_RATE_SQLSTATE: {
      const [currency, date] = (err.detail ?? "").split(" ");
      const named = date ? { currency, date } : {};
      return new AppError("exchange_rate_missing", err.message ?? "An exchange rate is missing", [], named);
    }
    case "40001":
    case "40P01":
      return new AppError("conflict", "The change collided with a concurrent one; try again");
    default:
      return undefined;
  }
}

/**
 * What a caller can act on in PostgreSQL's message about a bad value, without the statement: knex puts the SQL text,
 * with its bound values, in front of the message, and a problem must show neither the SQL nor other callers' data.
 */
export function invalidValueMessage(message: string): string {
  const syntax = /invalid input (?:syntax|value) for (?:type|enum) ([\w ]+?): "(.{0,80}).*?"$/s.exec(message);
  if (syntax) return `"${syntax[2]}" is not a valid ${syntax[1]}`;
  const tooLong = /value too long for type character varying\((\d+)\)$/.exec(message);
  if (tooLong) return `A text is longer than its column allows (${tooLong[1]} characters)`;
  if (/(?:numeric field overflow|(?:small|big)?int(?:eger)? out of range)$/.test(message))
    return "A number is too large for its column";
  const range = /(date\/time field value out of range|time zone "[^"]{0,40}" not recognized)(?:: "(.{0,40})")?$/.exec(
    message,
  );
  if (range) return range[2] ? `"${range[2]}" is not a valid date or time` : "A date or time is not valid";
  return "A value is not valid for its column";
}
