import type { Knex } from "knex";
import type { StepEffects } from "./step-effects";

let taken = 0;

/**
 * The savepoints of one step, one round trip per service that runs under one. Only services write before the step's
 * own writes, so the step's savepoint (a failed step leaves nothing behind) is the one taken before the step's first
 * write, which also undoes that service alone; a step whose services write nothing themselves takes none. Before a
 * service's savepoint the rows earlier services owe are written (see StepEffects), after the step's savepoint: a
 * failed step undoes them, a failed service does not. No savepoint is released (the transaction's end releases
 * them): unique names keep a nested step's (a child instance a service starts) from shadowing these. Services take
 * their turn here, one after another, as nested knex transactions on one connection did.
 */
export class StepSavepoints {
  private first: string | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly trx: Knex,
    private readonly effects?: StepEffects,
  ) {}

  /** Runs `work` after a new savepoint; when it fails, its writes are rolled back and the error is rethrown. */
  around<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(async () => {
      if (this.effects?.owing) {
        this.first ??= await this.savepoint();
        await this.effects.flush(this.trx);
      }
      const name = await this.savepoint();
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

  private async savepoint(): Promise<string> {
    const name = `kehu_step_${++taken}`;
    await this.trx.raw(`SAVEPOINT ${name}`);
    return name;
  }
}
