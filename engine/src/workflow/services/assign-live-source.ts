import type { Knex } from "knex";
import { entityTableRef } from "../../storage/identifiers";
import { type Candidate, candidatesOf } from "./assign-candidates";
import type { DecisionSource } from "./assign-decision";

// One counter row per pool: the upsert locks it until the step commits, so concurrent decisions queue up in turn.
export async function nextTurn(trx: Knex, pool: string): Promise<number> {
  const { rows } = await trx.raw(
    `INSERT INTO kehu.wf_assign_counters (pool, next) VALUES (?, 1)
     ON CONFLICT (pool) DO UPDATE SET next = kehu.wf_assign_counters.next + 1 RETURNING next`,
    [pool],
  );
  return Number(rows[0].next);
}

/** Live records owned per candidate, optionally leaving some records out (a what-if replays those itself). */
export async function openCounts(
  knex: Knex,
  entity: string,
  candidates: Candidate[],
  except: string[] = [],
): Promise<Map<string, number>> {
  const q = knex(entityTableRef(entity))
    .whereIn(
      "owner_id",
      candidates.map((c) => c.id),
    )
    .whereNull("deleted_at")
    .groupBy("owner_id")
    .select("owner_id", knex.raw("count(*) AS n"));
  if (except.length) q.whereNotIn("id", except);
  const rows: Array<{ owner_id: string; n: string }> = await q;
  return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
}

/** The facts of a real decision, in the step's transaction. */
export function liveSource(trx: Knex, entity: string | undefined): DecisionSource {
  return {
    candidates: (spec) => candidatesOf(trx, spec),
    turn: (pool) => nextTurn(trx, pool),
    loads: async (candidates) => (entity ? openCounts(trx, entity, candidates) : new Map()),
  };
}
