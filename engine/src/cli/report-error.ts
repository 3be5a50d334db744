import { isAppError } from "@kehu/core";
import type { CliIo } from "./cli-io";

/**
 * The lines a failed command prints: an AppError's message and one line per issue; any other error its
 * message. Stack traces only with `KEHU_DEBUG=1`.
 */
export function errorLines(error: unknown, env: CliIo["env"]): string[] {
  const debug = env.KEHU_DEBUG === "1";
  if (isAppError(error)) {
    const lines = [`error: ${error.message}`, ...error.issues.map((i) => `  ${i.path}: ${i.message}`)];
    return debug && error.stack ? [...lines, error.stack] : lines;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return debug && e.stack ? [`error: ${e.message}`, e.stack] : [`error: ${e.message}`];
}
