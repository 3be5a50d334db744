import type { Knex } from "knex";
import { rollupRoutine } from "../computed/rollup-sql";
import { runSql } from "../metadata/run-sql";
import { readStoredEntities } from "../metadata/stored-entities";
import { isMoneyRollup } from "../storage/columns";

/**
 * Recomputes every rollup over money from its children, inside the caller's transaction: after a change of
 * exchange rates, of the base currency or of a currency's rounding, stored totals follow at once. A child whose
 * amount can no longer be converted (its rate was deleted) fails the statement, so the change is refused whole.
 * Returns how many rollup columns were recomputed.
 */
export async function recomputeMoneyRollups(trx: Knex): Promise<number> {
  const stored = await readStoredEntities(trx);
  let n = 0;
  for (const { definition: parent } of stored.values())
    for (const field of parent.fields) {
      if (!isMoneyRollup(field)) continue;
      const child = stored.get(field.child as string)?.definition;
      if (!child) continue;
      // Only the backfill: the triggers and the column default read the base currency and rates when they run.
      await runSql(trx, rollupRoutine(parent, field, child).backfill);
      n++;
    }
  return n;
}
