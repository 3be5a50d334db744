import type { Knex } from "knex";
import { createInstance } from "./instance-steps";
import type { RuntimeDeps } from "./runtime-deps";

/** A start queued in a record write's transaction, run after it commits. */
export interface QueuedStart {
  key: string;
  variables: Record<string, unknown>;
  entity?: string;
  recordId?: string;
  actor: string;
}

/** Queues a start as an outbox row in the caller's transaction: it exists only if the write commits. */
export async function queueStart(trx: Knex, start: QueuedStart): Promise<string> {
  const [row] = await trx("kehu.outbox")
    .insert({ kind: "workflow.start", payload: JSON.stringify(start) })
    .returning("id");
  return String(row.id);
}

/**
 * Queues many starts in one statement (a bulk write's): the payloads travel as one JSON array, so the cost is one round
 * trip however many records the write started workflows for.
 */
export async function queueStarts(trx: Knex, starts: readonly QueuedStart[]): Promise<void> {
  if (!starts.length) return;
  await trx.raw(
    "INSERT INTO kehu.outbox (kind, payload) SELECT 'workflow.start', p FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS u(p, n) ORDER BY n",
    [JSON.stringify(starts)],
  );
}

/**
 * Runs queued starts, each in one transaction with its outbox row locked (SKIP LOCKED: processes share the work) and
 * marked sent: every queued start creates exactly one instance. Returns how many ran.
 */
export async function drainStarts(knex: Knex, deps: RuntimeDeps, limit = 100): Promise<number> {
  let done = 0;
  for (; done < limit; done++) {
    const ran = await knex.transaction(async (trx) => {
      const row = await trx("kehu.outbox")
        .where({ kind: "workflow.start" })
        .whereNull("sent_at")
        .orderBy("id")
        .forUpdate()
        .skipLocked()
        .first();
      if (!row) return false;
      const start = row.payload as QueuedStart;
      await createInstance(trx, deps, start.key, start.variables, {
        entity: start.entity,
        recordId: start.recordId,
        actor: start.actor,
      });
      await trx("kehu.outbox").where({ id: row.id }).update({ sent_at: deps.clock.now() });
      return true;
    });
    if (!ran) break;
  }
  return done;
}
