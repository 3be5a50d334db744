import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs (pino). `KEHU_LOG_LEVEL` sets the level; tests pass "silent". */
export function createLogger(level = process.env.KEHU_LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: undefined,
    redact: ["password", "*.password", "token", "*.token", "headers.cookie", "headers.authorization"],
  });
}
