import type { Database, DatabaseConfig } from "../storage/database";

/** A text sink: `process.stdout`, or a buffer in tests. */
export interface TextOutput {
  write(text: string): unknown;
}

/**
 * Everything a command touches outside itself, injected so commands run in-process in tests:
 * output streams, environment, working directory, and optionally how to open the database and
 * how to wait for a shutdown signal.
 */
export interface CliIo {
  stdout: TextOutput;
  stderr: TextOutput;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Opens the database the config names; tests hand in a test database. Defaults to `openDatabase`. */
  openDatabase?: (config: DatabaseConfig) => Promise<Database>;
  /** Resolves with the signal's name when the server should stop. Defaults to SIGINT/SIGTERM. */
  waitForShutdown?: () => Promise<string>;
}

/** The real process: its streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Writes lines to an output, each ending in a newline. */
export function writeLines(out: TextOutput, ...lines: string[]): void {
  if (lines.length) out.write(`${lines.join("\n")}\n`);
}
