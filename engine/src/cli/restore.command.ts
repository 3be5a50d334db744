import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AppError } from "@kehu/core";
import { readBackupHeader, restoreBackup } from "../maintenance/restore-backup";
import { openCliDatabase } from "./cli-database";
import { writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";

/** `kehu restore <file>`: re-creates a backup in an empty database, exactly, or changes nothing. */
export const restoreCommand: Command = {
  name: "restore",
  synopsis: "restore <file>",
  summary: "restore a backup into an empty database (all or nothing)",
  async run(argv, io) {
    const { positionals } = parseCommandArgs(argv, { command: "restore", options: {}, positionals: ["file"] });
    const file = resolve(io.cwd, positionals[0]);
    if (!existsSync(file)) throw new AppError("not_found", `There is no file ${positionals[0]}`);
    // A file that is no backup, or of another format, is refused before any database is opened.
    const header = await readBackupHeader(file);
    writeLines(
      io.stdout,
      `Backup of ${header.createdAt} from Kehu ${header.engineVersion} on ${header.backend === "pglite" ? "PGlite" : "PostgreSQL"}: ${header.tables.length} tables.`,
    );
    const { db } = await openCliDatabase(io);
    try {
      const summary = await restoreBackup(db, file, (line) => writeLines(io.stdout, line));
      writeLines(
        io.stdout,
        `Restored ${summary.tables} tables, ${summary.rows} row${summary.rows === 1 ? "" : "s"} from ${positionals[0]}.`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
