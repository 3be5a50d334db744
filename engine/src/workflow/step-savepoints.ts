import type { Knex } from "knex";

let taken = 0;

/**
 * The savepoints of one step, one round trip per service that runs. Only services write before the step's own writes,
 * so the step's savepoint (a failed step leaves nothing behind) is the one taken before its first service runs, which
 * also undoes that service alone; a step without services takes none. No savepoint is released (the transaction's
 * end releases them): unique names keep a nested step's (a child instance a service starts) from shadowing these.
 * Services take their turn here, one after another, as nested knex transactions on one connection did.
 */
export class StepSavepoints {
  private first: string | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  /** `beforeEach` writes what the step owes before a new savepoint, so that a service's failure cannot undo it. */
  constructor(
    private readonly trx: Knex,
    private readonly beforeEach: () => Promise<void> = async () => undefined,
  ) {}

  /** Runs `work` after a new savepoint; when it fails, its writes are rolled back and the error is rethrown. */
  around<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(async () => {
      await this.beforeEach();
      const name = `kehu_step_${++taken}`;
      await this.trx.raw(`SAVEPOINT ${name}`);
      this.first ??= name;
      try {
        return await work();
      } catch (e) {
        await this.trx.raw(`ROLLBACK TO SAVEPOINT ${name}`);
        throw e;
      }
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Rolls back everything the step's services wrote. */
  async undoStep(): Promise<void> {
    await this.turn;
    if (this.first) await this.trx.raw(`ROLLBACK TO SAVEPOINT ${this.first}`);
  }
}
