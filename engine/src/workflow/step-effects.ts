import type { Knex } from "knex";
import { insertOwedSql, type OwedRows } from "./owed-rows";

/**
 * The rows a step's services owe: each service's idempotency row (instance, execution id, result) and the rows a
 * service hands over with `writeWithStep` (notify's inbox rows). They are written with the step's own writes (one
 * statement, see writeStep) instead of one INSERT each. A service that runs under a savepoint while rows are owed
 * first gets them written (StepSavepoints calls `flush`): it may read them (http counts its instance's calls), and
 * its failure must not undo them. A step that fails or changes nothing drops what it still owes, as its rollback to
 * its first savepoint undoes the rows already written.
 */
export class StepEffects {
  private owed = new Map<string, Array<Record<string, unknown>>>();

  owe(table: string, rows: Array<Record<string, unknown>>): void {
    if (!rows.length) return;
    const list = this.owed.get(table);
    if (list) list.push(...rows);
    else this.owed.set(table, [...rows]);
  }

  /** Whether any rows are owed. */
  get owing(): boolean {
    return this.owed.size > 0;
  }

  /** Writes the rows owed so far (a no-op when none are). */
  async flush(trx: Knex): Promise<void> {
    for (const owed of this.take()) await trx.raw(insertOwedSql(owed, "rows"), { rows: JSON.stringify(owed.rows) });
  }

  /** The rows owed, for the step's writes; none are owed afterwards. */
  take(): OwedRows[] {
    const owed = [...this.owed].map(([table, rows]) => ({ table, rows }));
    this.owed = new Map();
    return owed;
  }
}
