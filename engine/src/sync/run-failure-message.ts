import { isAppError } from "@kehu/core";

/** A failed run's error: an AppError's message with its issues, e.g. which `${ENV}` references are not set. */
export function runFailureMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (!isAppError(e) || !e.issues.length) return message;
  return `${message}: ${e.issues.map((i) => `${i.message} (${i.path})`).join("; ")}`;
}
