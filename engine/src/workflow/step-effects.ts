import type { Knex } from "knex";

/** The idempotency row of a service that ran in a step: (instance, execution id) and its result. */
export interface EffectRow {
  instance_id: string;
  execution_id: string;
  service: string;
  /** The result as JSON text. */
  result: string;
}

/**
 * The idempotency rows a step owes: written with the step's own writes (one statement, see writeStep) instead of one
 * INSERT per service. A service that runs while rows are owed first gets them written (StepSavepoints calls `flush`
 * before its savepoint): it may read them (http counts its instance's calls), and its failure must not undo them.
 * A step that fails or changes nothing rolls back to its first savepoint and drops what it owes, as that rollback
 * would have undone the rows written.
 */
export class StepEffects {
  private owed: EffectRow[] = [];

  owe(row: EffectRow): void {
    this.owed.push(row);
  }

  /** Writes the rows owed so far (a no-op when none are). */
  async flush(trx: Knex): Promise<void> {
    const rows = this.take();
    if (rows.length) await trx("kehu.wf_effects").insert(rows);
  }

  /** The rows owed, for the step's writes; none are owed afterwards. */
  take(): EffectRow[] {
    const rows = this.owed;
    this.owed = [];
    return rows;
  }
}
