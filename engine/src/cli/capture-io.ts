import type { Database } from "../storage/database";
import type { CliIo } from "./cli-io";

/** A CliIo whose output is kept in strings, for running commands in-process in tests. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

/** Captures stdout and stderr; the environment is only what `overrides.env` gives (silent logs by default). */
export function captureIo(overrides: Partial<CliIo> = {}): CapturedIo {
  let out = "";
  let err = "";
  return {
    cwd: process.cwd(),
    ...overrides,
    env: { KEHU_LOG_LEVEL: "silent", ...overrides.env },
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}

/** An opener that hands commands this database and leaves it open when they close it (the test closes it). */
export function keepOpen(db: Database): CliIo["openDatabase"] {
  return async () => ({ knex: db.knex, backend: db.backend, close: async () => {} });
}
