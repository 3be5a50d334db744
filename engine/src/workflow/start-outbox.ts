import type { Knex } from "knex";
import { createInstance } from "./instance-steps";
import type { RuntimeDeps } from "./runtime-deps";
import { StepSavepoints } from "./step-savepoints";

/** A start queued in a record write's transaction, run after it commits. */
export interface QueuedStart {
  key: string;
  variables: Record<string, unknown>;
  entity?: string;
  recordId?: string;
  actor: string;
}

/** How many times drains try a queued start before giving it up (`failed_at`): an admin then sees and retries it. */
export const MAX_START_ATTEMPTS = 5;

/** How long a start that failed its Nth attempt waits before the next: 30 s, 2, 8 and 32 minutes (~42 in all). */
export const START_RETRY_DELAYS_MS = [30_000, 120_000, 480_000, 1_920_000];

/** What a drain did: starts that created their instance, and starts that failed (each recorded on its row). */
export interface StartDrain {
  ran: number;
  failed: number;
}

/** An outbox row of a queued start, locked by the caller's transaction. */
export interface OutboxStart {
  id: string;
  payload: QueuedStart;
  attempts: number;
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
 * Creates the instance of a locked queued start under a savepoint of `trx`. A start that throws is undone alone (the
 * rest of the transaction stands) and its error message is returned instead.
 */
export async function tryQueuedStart(
  trx: Knex,
  deps: RuntimeDeps,
  row: OutboxStart,
): Promise<{ instanceId: string } | { error: string }> {
  const start = row.payload;
  try {
    const { instanceId } = await new StepSavepoints(trx).around(() =>
      createInstance(trx, deps, start.key, start.variables, {
        entity: start.entity,
        recordId: start.recordId,
        actor: start.actor,
      }),
    );
    return { instanceId };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).slice(0, 2000) };
  }
}

/**
 * Records a failed attempt on the start's row, in `trx` (outside the undone savepoint, so it commits), giving the
 * start up after MAX_START_ATTEMPTS, and logs it once.
 */
export async function recordStartFailure(trx: Knex, deps: RuntimeDeps, row: OutboxStart, error: string): Promise<void> {
  const attempts = row.attempts + 1;
  const dead = attempts >= MAX_START_ATTEMPTS;
  const now = deps.clock.now();
  const wait = START_RETRY_DELAYS_MS[Math.min(attempts, START_RETRY_DELAYS_MS.length) - 1];
  await trx("kehu.outbox")
    .where({ id: row.id })
    .update({
      attempts,
      last_error: error,
      failed_at: dead ? now : null,
      next_attempt_at: dead ? null : new Date(now.getTime() + wait),
    });
  const entry = { outboxId: String(row.id), key: row.payload.key, attempts, error };
  if (dead) deps.ctx.logger.error(entry, "queued workflow start given up after %d attempts", attempts);
  else deps.ctx.logger.warn(entry, "queued workflow start failed (attempt %d of %d)", attempts, MAX_START_ATTEMPTS);
}

/**
 * Runs queued starts, up to `limit`, in transactions of up to `batch` starts each: a transaction locks its outbox rows
 * (SKIP LOCKED: processes share the work), creates one instance per row and marks the rows sent, so every queued
 * start creates exactly one instance, and a batch pays one commit instead of one per start. Each start runs under its
 * own savepoint: a start that throws (say, no deployment under its key) is undone alone, its row counts the attempt,
 * keeps the error and waits START_RETRY_DELAYS_MS before the next, and the others (in its batch and after it, up to
 * `limit` rows taken) still run. After MAX_START_ATTEMPTS failed attempts a row is given up (`failed_at`) and drains
 * no longer take it. Never throws for a failing start.
 */
export async function drainStarts(knex: Knex, deps: RuntimeDeps, limit = 100, batch = 10): Promise<StartDrain> {
  const drain: StartDrain = { ran: 0, failed: 0 };
  let taken = 0;
  // Rows whose start failed in this call are not taken again by it: one bad start never holds up those behind it.
  const failed: string[] = [];
  while (taken < limit) {
    const want = Math.min(batch, limit - taken);
    const { fetched, sent } = await knex.transaction(async (trx) => {
      const rows: OutboxStart[] = await trx("kehu.outbox")
        .where({ kind: "workflow.start" })
        .whereNull("sent_at")
        .whereNull("failed_at")
        .where((due) => due.whereNull("next_attempt_at").orWhere("next_attempt_at", "<=", deps.clock.now()))
        // One array parameter however many failed: a list of placeholders would outgrow the protocol's limit.
        .whereRaw("NOT (id = ANY(?::bigint[]))", [`{${failed.join(",")}}`])
        .orderBy("id")
        .limit(want)
        .forUpdate()
        .skipLocked()
        .select("id", "payload", "attempts");
      const sent: string[] = [];
      for (const row of rows) {
        const outcome = await tryQueuedStart(trx, deps, row);
        if ("instanceId" in outcome) sent.push(row.id);
        else {
          await recordStartFailure(trx, deps, row, outcome.error);
          failed.push(String(row.id));
        }
      }
      if (sent.length) await trx("kehu.outbox").whereIn("id", sent).update({ sent_at: deps.clock.now() });
      return { fetched: rows.length, sent: sent.length };
    });
    drain.ran += sent;
    drain.failed += fetched - sent;
    taken += fetched;
    if (fetched < want) break; // none left that another process is not already running
  }
  return drain;
}

/**
 * Runs every queued start that can run now (what the job queue's wake-up does: one wake-up stands for all the starts
 * its write queued, a bulk write's thousands). A start that fails is tried once per call, so the call ends.
 */
export function drainAllStarts(knex: Knex, deps: RuntimeDeps, batch = 10): Promise<StartDrain> {
  return drainStarts(knex, deps, Number.POSITIVE_INFINITY, batch);
}
