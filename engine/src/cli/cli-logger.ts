import { pino } from "pino";
import { createLogger, LOG_REDACTED, type Logger } from "../logger";
import type { CliIo } from "./cli-io";

const LEVEL_WORDS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};
const NOT_FIELDS = new Set(["level", "time", "msg", "err", "pid", "hostname"]);

/**
 * The engine's logger for a command run at a terminal: each entry one readable line on stderr, after the command's
 * own output (`kehu: warning: sync read failed; resuming from the last checkpoint (stream=items attempt=2): connect
 * ECONNREFUSED`), not a JSON object on stdout. `KEHU_LOG_FORMAT=json` keeps pino's JSON lines for log collectors.
 */
export function cliLogger(io: CliIo, defaultLevel = "warn"): Logger {
  const level = io.env.KEHU_LOG_LEVEL ?? defaultLevel;
  if (io.env.KEHU_LOG_FORMAT === "json") return createLogger(level);
  return pino(
    { level, base: undefined, redact: LOG_REDACTED },
    { write: (json: string) => io.stderr.write(`${readableLogLine(json)}\n`) },
  );
}

/** One pino JSON entry as a line: level word, message, fields as `key=value`, then the error's message. */
export function readableLogLine(json: string): string {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const fields = Object.entries(entry)
    .filter(([key, value]) => !NOT_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const err = entry.err as { message?: unknown } | string | undefined;
  const reason = typeof err === "string" ? err : err?.message;
  return [
    `kehu: ${LEVEL_WORDS[entry.level as number] ?? "log"}: ${entry.msg ?? ""}`,
    fields.length ? ` (${fields.join(" ")})` : "",
    reason ? `: ${reason}` : "",
  ].join("");
}
