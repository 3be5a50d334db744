import type { Issue } from "@kehu/core";

/** One problem of an imported row: the sheet row (header = 1), the column header, the field and what is wrong. */
export interface RowError {
  row: number;
  column: string | null;
  field: string | null;
  message: string;
}

/** A row error as a problem+json issue (`/rows/<row>/<field>`), keeping row, column and field. */
export function rowIssue(e: RowError): Issue & RowError {
  return { path: `/rows/${e.row}${e.field ? `/${e.field}` : ""}`, ...e };
}

interface PgError {
  code?: string;
  detail?: string;
  column?: string;
  message?: string;
}

/** A readable message for a database error a single record caused, or undefined for a server fault. */
export function databaseRowError(e: unknown): { field: string | null; message: string } | undefined {
  const err = e as PgError;
  if (typeof err?.code !== "string" || !/^(22|23)/.test(err.code)) return undefined;
  const key = /^Key \(([^)]+)\)=\((.*)\)/.exec(err.detail ?? "");
  switch (err.code) {
    case "23505":
      return {
        field: key?.[1] ?? null,
        message: key ? `another record already has ${key[1]} "${key[2]}"` : "a unique value is already taken",
      };
    case "23503":
      return { field: key?.[1] ?? null, message: "refers to a record that does not exist" };
    case "23502":
      return { field: err.column ?? null, message: "is required" };
    default:
      return { field: err.column ?? null, message: `is not valid: ${err.message ?? err.code}` };
  }
}

/** The column and value a unique violation names (`Key (code)=(A-1) already exists.`). */
export function uniqueViolation(e: unknown): { column: string; value: string } | undefined {
  const err = e as PgError;
  if (err?.code !== "23505") return undefined;
  const key = /^Key \(([^,)]+)\)=\((.*)\) already exists/.exec(err.detail ?? "");
  return key ? { column: key[1], value: key[2] } : undefined;
}
