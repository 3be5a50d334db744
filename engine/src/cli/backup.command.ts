import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AppError } from "@kehu/core";
import { writeBackup } from "../maintenance/write-backup";
import { openCliDatabase } from "./cli-database";
import { writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";

/** `kehu backup <file>`: a consistent snapshot of metadata, data and Kehu's own state in one gzip file. */
export const backupCommand: Command = {
  name: "backup",
  synopsis: "backup <file>",
  summary: "write a consistent snapshot of metadata, data and Kehu's state to <file>",
  async run(argv, io) {
    const { positionals } = parseCommandArgs(argv, { command: "backup", options: {}, positionals: ["file"] });
    const file = resolve(io.cwd, positionals[0]);
    if (!existsSync(dirname(file)))
      throw new AppError("bad_request", `There is no folder ${dirname(file)} to write ${positionals[0]} into`);
    const { db } = await openCliDatabase(io);
    try {
      writeLines(io.stdout, `Backing up to ${positionals[0]}…`);
      const summary = await writeBackup(db, file, (line) => writeLines(io.stdout, line));
      writeLines(
        io.stdout,
        `Backed up ${summary.tables} tables, ${summary.rows} row${summary.rows === 1 ? "" : "s"} to ${positionals[0]}.`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
