import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { ENGINE_VERSION } from "../api/openapi/engine-version";
import { syncComputedRoutines } from "../computed/sync-computed";
import { runSql } from "../metadata/run-sql";
import { readStoredEntities } from "../metadata/stored-entities";
import type { Database } from "../storage/database";
import { createTableSql } from "../storage/entity-ddl";
import { readBackupLines } from "./backup-file";
import { assertKnownSteps, type BackupHeader, type BackupSequence, parseBackupHeader } from "./backup-format";
import { quoteTable } from "./backup-tables";
import { loadRows, type TableLoader, tableLoader } from "./restore-rows";
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
 * sequence where it stood. A file cut short fails the whole restore.
 */
export async function restoreBackup(
  db: Database,
  file: string,
  progress: (line: string) => void = () => {},
): Promise<RestoreSummary> {
  const lines = readBackupLines(file);
  const first = await lines.next();
  const header = parseBackupHeader(first.done ? undefined : first.value, file);
  const steps: Array<{ id: number }> = await db.knex("kehu.system_migrations").select("id");
  assertKnownSteps(
    header,
    steps.map((s) => Number(s.id)),
    ENGINE_VERSION,
  );
  await assertEmptyTarget(db.knex);
  return db.knex.transaction(async (trx) => {
    await suspendTriggers(trx);
    const columnsOf = new Map(header.tables.map((t) => [t.table, t.columns]));
    const counts: Record<string, number> = {};
    const skipped: string[] = [];
    let loader: TableLoader | undefined;
    let entitiesBuilt = false;
    let end: { rows: Record<string, number> } | undefined;
    const finishTable = async () => {
      if (!loader) return;
      counts[loader.table] = await loader.flush();
      progress(`  ${loader.table}: ${counts[loader.table]} row${counts[loader.table] === 1 ? "" : "s"}`);
      loader = undefined;
    };
    for await (const line of lines) {
      const item = JSON.parse(line) as unknown;
      if (Array.isArray(item)) {
        if (loader) await loadRows(loader, item as Array<string | null>);
        continue;
      }
      await finishTable();
      const mark = item as { table?: string; sequences?: BackupSequence[]; end?: { rows: Record<string, number> } };
      if (mark.table !== undefined) {
        if (!mark.table.startsWith("kehu.") && !entitiesBuilt) entitiesBuilt = await buildEntityTables(trx, progress);
        loader = await tableLoader(trx, mark.table, columnsOf.get(mark.table) ?? []);
        if (!loader) skipped.push(mark.table);
      } else if (mark.sequences) await setSequences(trx, mark.sequences);
      else if (mark.end) end = mark.end;
    }
    if (!entitiesBuilt) await buildEntityTables(trx, progress);
    if (!end)
      throw new AppError("bad_request", `${file} is incomplete (it ends before its last line); nothing was restored`);
    for (const [table, n] of Object.entries(end.rows))
      if (!skipped.includes(table) && counts[table] !== n)
        throw new AppError(
          "bad_request",
          `${file} is damaged: ${table} should have ${n} rows, it has ${counts[table] ?? 0}`,
        );
    for (const table of skipped) progress(`  skipped ${table}: this database has no such table`);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return { header, tables: Object.keys(counts).length, rows, skipped };
  });
}

/** Every stored entity's table and computed routines, from the definitions just restored. */
async function buildEntityTables(trx: Knex.Transaction, progress: (line: string) => void): Promise<boolean> {
  const stored = await readStoredEntities(trx);
  for (const { definition } of stored.values()) for (const sql of createTableSql(definition)) await runSql(trx, sql);
  // The definitions count as unchanged: nothing is recomputed, the restored values stand.
  await syncComputedRoutines(trx, stored);
  progress(`  created ${stored.size} entity table${stored.size === 1 ? "" : "s"} from their definitions`);
  return true;
}

async function setSequences(trx: Knex.Transaction, sequences: BackupSequence[]): Promise<void> {
  for (const s of sequences) {
    const [schema, name] = [
      s.sequence.slice(0, s.sequence.indexOf(".")),
      s.sequence.slice(s.sequence.indexOf(".") + 1),
    ];
    const { rows } = await trx.raw(
      "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = ? AND c.relname = ?",
      [schema, name],
    );
    if (rows.length)
      await trx.raw("SELECT setval(?::regclass, ?::bigint, ?)", [quoteTable(s.sequence), s.lastValue, s.isCalled]);
  }
}
