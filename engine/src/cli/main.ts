import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ENGINE_VERSION } from "../api/openapi/engine-version";
import { applyCommand } from "./apply.command";
import { backupCommand } from "./backup.command";
import { type CliIo, processIo, writeLines } from "./cli-io";
import type { Command } from "./command";
import { demoCommand } from "./demo.command";
import { doctorCommand } from "./doctor.command";
import { exportCommand } from "./export.command";
import { importCommand } from "./import.command";
import { migrateCommand } from "./migrate.command";
import { errorLines } from "./report-error";
import { restoreCommand } from "./restore.command";
import { revertCommand } from "./revert.command";
import { simCommand } from "./sim.command";
import { startCommand } from "./start.command";
import { syncCommand } from "./sync.command";
import { UsageError } from "./usage-error";
import { userCommand } from "./user.command";
import { workflowCommand } from "./workflow.command";
import { wrapWords } from "./wrap-words";

export const COMMANDS: readonly Command[] = [
  startCommand,
  demoCommand,
  applyCommand,
  exportCommand,
  migrateCommand,
  userCommand,
  simCommand,
  doctorCommand,
  backupCommand,
  restoreCommand,
  importCommand,
  revertCommand,
  workflowCommand,
  syncCommand,
];

/** The widest line of the usage: it reads on an 80-column terminal without wrapping mid-word. */
const USAGE_WIDTH = 80;

/** The short usage: every command's synopsis, then its summary indented below it, wrapped to the terminal. */
export function usage(): string {
  return [
    "Usage: kehu <command> [options]",
    "",
    ...COMMANDS.flatMap((c) => [
      // A command of several forms (`sync run … | sync status`) shows one form per line.
      ...c.synopsis
        .split(" | ")
        .flatMap((form) => wrapWords(`kehu ${form}`, USAGE_WIDTH - 2, "      ").map((line) => `  ${line}`)),
      ...wrapWords(c.summary, USAGE_WIDTH - 6, "").map((line) => `      ${line}`),
    ]),
    "",
    ...wrapWords(
      "Environment: DATABASE_URL (PostgreSQL; else embedded PGlite), KEHU_DATA_DIR (PGlite data dir, default " +
        ".kehu/data), PORT, KEHU_LOG_LEVEL, KEHU_LOG_FORMAT=json (commands other than start log readable lines to " +
        "stderr), KEHU_DEBUG=1 (stack traces).",
      USAGE_WIDTH,
      "",
    ),
  ].join("\n");
}

/**
 * Runs one `kehu` command line and returns its exit code: 0 done, 1 failed (the reason printed as
 * readable lines), 2 a command line that cannot run (with the usage).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    writeLines(name === undefined ? io.stderr : io.stdout, usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    writeLines(io.stdout, ENGINE_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(name.startsWith("-") ? `unknown option ${name}` : `unknown command "${name}"`);
    if (rest.includes("--help") || rest.includes("-h")) {
      writeLines(io.stdout, `Usage: kehu ${command.synopsis}`, `  ${command.summary}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const one = e.command ? COMMANDS.find((c) => c.name === e.command) : undefined;
      writeLines(io.stderr, `kehu: ${e.message}`, one ? `Usage: kehu ${one.synopsis}` : usage());
      return 2;
    }
    writeLines(io.stderr, ...errorLines(e, io.env));
    return 1;
  }
}

/** The process entry: runs the command line of this process and exits with its code. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await main(argv, processIo());
  process.exitCode = code;
  // Anything left holding the event loop (a pool, a timer) must not keep a finished command alive.
  setTimeout(() => process.exit(code), 2000).unref();
}

function isEntry(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) await runCli();
