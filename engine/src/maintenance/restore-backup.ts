import { AppError } from "@kehu/core";
import { ENGINE_VERSION } from "../api/openapi/engine-version";
import type { Database } from "../storage/database";
import { readBackupLines } from "./backup-file";
import { assertKnownSteps, type BackupHeader, parseBackupHeader } from "./backup-format";
import { RestoreRun } from "./restore-run";
import { assertEmptyTarget, suspendTriggers } from "./restore-target";

export interface RestoreSummary {
  header: BackupHeader;
  tables: number;
  rows: number;
  skipped: string[];
}

/** Reads just the header of a backup file, refusing what is no backup or of another format version. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const lines = readBackupLines(file);
  try {
    const first = await lines.next();
    return parseBackupHeader(first.done ? undefined : first.value, file);
  } finally {
    await lines.return(undefined);
  }
}

/**
 * Restores a backup into an empty database, all in one transaction: checks the header against this Kehu's system
 * steps, loads Kehu's own tables, re-creates every entity's table and computed routines from the restored
 * definitions with the same DDL code `apply` uses, loads the entity rows with triggers suspended, and sets every
 * sequence where it stood. A file cut short or damaged restores nothing.
 */
export async function restoreBackup(
  db: Database,
  file: string,
  progress: (line: string) => void = () => {},
): Promise<RestoreSummary> {
  const lines = readBackupLines(file);
  try {
    const first = await lines.next();
    const header = parseBackupHeader(first.done ? undefined : first.value, file);
    const steps: Array<{ id: number }> = await db.knex("kehu.system_migrations").select("id");
    assertKnownSteps(
      header,
      steps.map((s) => Number(s.id)),
      ENGINE_VERSION,
    );
    await assertEmptyTarget(db.knex);
    return await db.knex.transaction(async (trx) => {
      const suspension = await suspendTriggers(trx);
      const run = new RestoreRun(trx, header, progress, suspension);
      let n = 1;
      for await (const line of lines) await run.take(parseLine(line, ++n, file));
      await run.finish(file);
      await suspension.resume();
      const rows = Object.values(run.counts).reduce((a, b) => a + b, 0);
      return { header, tables: Object.keys(run.counts).length, rows, skipped: run.skipped };
    });
  } finally {
    await lines.return(undefined);
  }
}

function parseLine(line: string, n: number, file: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new AppError("bad_request", `${file} is damaged at line ${n} (not JSON); nothing was restored`);
  }
}
