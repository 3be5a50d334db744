import type { CliIo } from "./cli-io";

/** One `kehu` command: how it is called, what it does, and its run, which returns the exit code. */
export interface Command {
  name: string;
  /** e.g. `apply <dir> [--dry-run] [--yes] [--breaks <keys>]` */
  synopsis: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}
