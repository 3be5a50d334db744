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

// Savepoint names are unique per process, as the steps' are (see StepSavepoints).
let savepoints = 0;

/**
 * Runs queued starts, up to `limit`, in transactions of up to `batch` starts each: a transaction locks its outbox rows
 * (SKIP LOCKED: processes share the work), creates one instance per row and marks the rows sent, so every queued
 * start creates exactly one instance, and a batch pays one commit instead of one per start. Each start runs under its
 * own savepoint: a start that throws (say, no deployment under its key) is undone alone and its row stays unsent,
 * the others (in its batch and after it, up to `limit` rows taken) still run, and the first such error is thrown
 * afterwards. Returns how many ran.
 */
export async function drainStarts(knex: Knex, deps: RuntimeDeps, limit = 100, batch = 10): Promise<number> {
  let done = 0;
  let taken = 0;
  let failure: { error: unknown } | undefined;
  // Rows whose start failed in this call are not taken again by it: one bad start never holds up those behind it.
  const failed: string[] = [];
  while (taken < limit) {
    const want = Math.min(batch, limit - taken);
    const ran = await knex.transaction(async (trx) => {
      const rows: Array<{ id: string; payload: QueuedStart }> = await trx("kehu.outbox")
        .where({ kind: "workflow.start" })
        .whereNull("sent_at")
        .whereNotIn("id", failed)
        .orderBy("id")
        .limit(want)
        .forUpdate()
        .skipLocked()
        .select("id", "payload");
      const sent: string[] = [];
      for (const row of rows) {
        const savepoint = `kehu_start_${++savepoints}`;
        await trx.raw(`SAVEPOINT ${savepoint}`);
        try {
          const start = row.payload;
          await createInstance(trx, deps, start.key, start.variables, {
            entity: start.entity,
            recordId: start.recordId,
            actor: start.actor,
          });
          sent.push(row.id);
        } catch (error) {
          await trx.raw(`ROLLBACK TO SAVEPOINT ${savepoint}`);
          failed.push(row.id);
          failure ??= { error };
        }
      }
      if (sent.length) await trx("kehu.outbox").whereIn("id", sent).update({ sent_at: deps.clock.now() });
      return { fetched: rows.length, sent: sent.length };
    });
    done += ran.sent;
    taken += ran.fetched;
    if (ran.fetched < want) break; // none left that another process is not already running
  }
  if (failure) throw failure.error;
  return done;
}
