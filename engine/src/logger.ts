import { pino } from "pino";

export type Logger = pino.Logger;

/** Fields never written to a log: secrets and the headers that carry them. */
export const LOG_REDACTED = ["password", "*.password", "token", "*.token", "headers.cookie", "headers.authorization"];

/** JSON logs (pino). `KEHU_LOG_LEVEL` sets the level; tests pass "silent". */
export function createLogger(level = process.env.KEHU_LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: undefined,
    redact: LOG_REDACTED,
  });
}
