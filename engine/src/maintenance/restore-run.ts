import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { syncComputedRoutines } from "../computed/sync-computed";
import { runSql } from "../metadata/run-sql";
import { readStoredEntities } from "../metadata/stored-entities";
import { createTableSql } from "../storage/entity-ddl";
import type { BackupHeader, BackupSequence } from "./backup-format";
import { quoteTable } from "./backup-tables";
import { loadRows, type TableLoader, tableLoader } from "./restore-rows";
import type { TriggerSuspension } from "./restore-target";

type Mark = { table?: string; sequences?: BackupSequence[]; end?: { rows: Record<string, number> } };

/**
 * One restore in progress, fed the backup's lines after the header in order: table marks and their rows, then
 * the sequences and the closing line. Entity tables are built from the restored definitions as soon as the first
 * table outside `kehu` begins (Kehu's own tables come first in every backup).
 */
export class RestoreRun {
  private loader: TableLoader | undefined;
  private entitiesBuilt = false;
  private end: Mark["end"];
  private readonly columns: Map<string, BackupHeader["tables"][number]["columns"]>;
  readonly counts: Record<string, number> = {};
  readonly skipped: string[] = [];

  constructor(
    private readonly trx: Knex.Transaction,
    header: BackupHeader,
    private readonly progress: (line: string) => void,
    private readonly suspension: TriggerSuspension,
  ) {
    this.columns = new Map(header.tables.map((t) => [t.table, t.columns]));
  }

  async take(item: unknown): Promise<void> {
    if (Array.isArray(item)) {
      if (this.loader) await loadRows(this.loader, item as Array<string | null>);
      return;
    }
    await this.finishTable();
    const mark = item as Mark;
    if (mark.table !== undefined) {
      if (!mark.table.startsWith("kehu.")) await this.buildEntityTables();
      this.loader = await tableLoader(this.trx, mark.table, this.columns.get(mark.table) ?? []);
      if (!this.loader) this.skipped.push(mark.table);
    } else if (mark.sequences) await this.setSequences(mark.sequences);
    else if (mark.end) this.end = mark.end;
  }

  /** Checks the file was whole and every table got its rows. */
  async finish(file: string): Promise<void> {
    await this.finishTable();
    await this.buildEntityTables();
    if (!this.end)
      throw new AppError("bad_request", `${file} is incomplete (it ends before its last line); nothing was restored`);
    for (const [table, n] of Object.entries(this.end.rows))
      if (!this.skipped.includes(table) && this.counts[table] !== n)
        throw new AppError(
          "bad_request",
          `${file} is damaged: ${table} should have ${n} rows, it has ${this.counts[table] ?? 0}; nothing was restored`,
        );
    for (const table of this.skipped) this.progress(`  skipped ${table}: this database has no such table`);
  }

  private async finishTable(): Promise<void> {
    if (!this.loader) return;
    const { table } = this.loader;
    this.counts[table] = await this.loader.flush();
    this.progress(`  ${table}: ${this.counts[table]} row${this.counts[table] === 1 ? "" : "s"}`);
    this.loader = undefined;
  }

  /** Every stored entity's table and computed routines, with the DDL code `apply` uses. */
  private async buildEntityTables(): Promise<void> {
    if (this.entitiesBuilt) return;
    this.entitiesBuilt = true;
    const stored = await readStoredEntities(this.trx);
    for (const { definition } of stored.values())
      for (const sql of createTableSql(definition)) await runSql(this.trx, sql);
    // The definitions count as unchanged: nothing is recomputed, the restored values stand.
    await syncComputedRoutines(this.trx, stored);
    await this.suspension.coverNewTables();
    this.progress(`  created ${stored.size} entity table${stored.size === 1 ? "" : "s"} from their definitions`);
  }

  private async setSequences(sequences: BackupSequence[]): Promise<void> {
    for (const s of sequences) {
      const dot = s.sequence.indexOf(".");
      const { rows } = await this.trx.raw(
        `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'S' AND n.nspname = ? AND c.relname = ?`,
        [s.sequence.slice(0, dot), s.sequence.slice(dot + 1)],
      );
      if (rows.length)
        await this.trx.raw("SELECT setval(?::regclass, ?::bigint, ?)", [
          quoteTable(s.sequence),
          s.lastValue,
          s.isCalled,
        ]);
    }
  }
}
