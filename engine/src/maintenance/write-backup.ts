import type { Knex } from "knex";
import { ENGINE_VERSION } from "../api/openapi/engine-version";
import type { Database } from "../storage/database";
import { quoteIdent } from "../storage/identifiers";
import { BackupWriter } from "./backup-file";
import { BACKUP_FORMAT_VERSION, type BackupHeader, type BackupTable } from "./backup-format";
import { listBackupTables, quoteTable, readSequences } from "./backup-tables";

const BATCH = 1000;

/** What a finished backup holds. */
export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
}

/**
 * Writes a consistent snapshot of the database into one gzip file of JSON lines (see `BackupHeader`): every row
 * of every table of `kehu`, `data` and pg-boss's schema, read in one repeatable-read, read-only transaction through
 * a cursor, a batch at a time, each value as PostgreSQL's own text of it, so decimals, timestamps, arrays and JSON
 * come back exactly. `progress` hears one line per table.
 */
export async function writeBackup(
  db: Database,
  file: string,
  progress: (line: string) => void = () => {},
): Promise<BackupSummary> {
  const writer = new BackupWriter(file);
  try {
    const summary = await db.knex.transaction(async (trx) => {
      await trx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const tables = await listBackupTables(trx);
      const steps: Array<{ id: number }> = await trx("kehu.system_migrations").select("id").orderBy("id");
      const header: BackupHeader = {
        format: "kehu-backup",
        formatVersion: BACKUP_FORMAT_VERSION,
        engineVersion: ENGINE_VERSION,
        systemSteps: steps.map((s) => Number(s.id)),
        createdAt: new Date().toISOString(),
        backend: db.backend,
        tables,
      };
      await writer.write(header);
      const counts: Record<string, number> = {};
      for (const table of tables) {
        counts[table.table] = await copyTable(trx, table, writer);
        progress(`  ${table.table}: ${counts[table.table]} row${counts[table.table] === 1 ? "" : "s"}`);
      }
      await writer.write({ sequences: await readSequences(trx) });
      await writer.write({ end: { rows: counts } });
      return { file, tables: tables.length, rows: Object.values(counts).reduce((a, b) => a + b, 0) };
    });
    await writer.commit();
    return summary;
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

async function copyTable(trx: Knex.Transaction, table: BackupTable, writer: BackupWriter): Promise<number> {
  await writer.write({ table: table.table });
  const values = table.columns.map((c) => `${quoteIdent(c.name)}::text`).join(", ");
  await trx.raw(
    `DECLARE kehu_backup NO SCROLL CURSOR FOR SELECT ARRAY[${values}]::text[] AS r FROM ${quoteTable(table.table)}`,
  );
  let count = 0;
  for (;;) {
    const { rows } = await trx.raw(`FETCH ${BATCH} FROM kehu_backup`);
    for (const row of rows as Array<{ r: Array<string | null> }>) await writer.write(row.r);
    count += rows.length;
    if (rows.length < BATCH) break;
  }
  await trx.raw("CLOSE kehu_backup");
  return count;
}
