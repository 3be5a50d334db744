import { AppError, isAppError } from "@kehu/core";
import type { Knex } from "knex";
import { ErpUnreachable } from "./erp-unreachable";
import { getMapping } from "./mapping-store";
import { isPermanentFailure } from "./permanent-failure";
import { replayRecord } from "./replay";
import type { SyncServices } from "./sync-services";

/** A record handed to a connector by a workflow (`syncPush`), pushed after the workflow's step commits. */
export interface QueuedPush {
  mapping: string;
  recordId: string;
  /** Who the run is recorded as started by: `workflow:<key>`. */
  startedBy: string;
}

/** A claim older than this is taken to have died with its process, and the push is tried again. */
const LEASE_MS = 10 * 60_000;
/**
 * A push whose run could not reach the ERP (a network failure, timeouts, 5xx) is tried again when its claim expires:
 * this often (two hours) at most.
 */
const MAX_ATTEMPTS = 12;

/**
 * Queues a push in the caller's transaction (an outbox row): it exists only if the workflow step commits, once per
 * step. Refuses a mapping that does not exist or only pulls, so the task fails where the consultant can see it.
 */
export async function queuePush(trx: Knex, push: QueuedPush): Promise<string> {
  const mapping = await getMapping(trx, push.mapping);
  if (mapping.direction === "pull")
    throw new AppError("validation_failed", `Sync mapping "${push.mapping}" only pulls; it cannot push a record`);
  const [row] = await trx("kehu.outbox")
    .insert({ kind: "sync.push", payload: JSON.stringify(push) })
    .returning("id");
  return String(row.id);
}

/**
 * Pushes the queued records, each as a replay run of its own, outside any transaction (the ERP is called over the
 * network). A row is claimed first (SKIP LOCKED, with a lease), so processes share the work; it is marked sent with
 * the run it made. A process that dies mid-push leaves the claim to expire, and the push is tried again: the
 * connector's idempotency key keeps the ERP from getting a second document. So does a run that could not reach
 * the ERP for a reason a retry may fix (no dead letter), up to MAX_ATTEMPTS times, and a push that met another run
 * of its connection (not counted as an attempt). A permanent failure (a refused login, certificate or address: each
 * retry would be another failed SAP login) or the last attempt closes the row as failed, with its run's error, as
 * any other failed run. Returns how many were tried.
 */
export async function drainQueuedPushes(services: SyncServices, limit = 50): Promise<number> {
  const knex = services.knex;
  let done = 0;
  for (; done < limit; done++) {
    const claimed = await knex.transaction(async (trx) => {
      const row = await trx("kehu.outbox")
        .where({ kind: "sync.push" })
        .whereNull("sent_at")
        .whereNull("failed_at") // never set on a push; said so the outbox_runnable index serves this take
        .whereRaw("coalesce((payload->>'claimedAt')::timestamptz, '-infinity') < ?", [new Date(Date.now() - LEASE_MS)])
        .orderBy("id")
        .forUpdate()
        .skipLocked()
        .first("id", "payload");
      if (!row) return undefined;
      const payload = { ...row.payload, claimedAt: new Date().toISOString() };
      await trx("kehu.outbox")
        .where({ id: row.id })
        .update({ payload: JSON.stringify(payload) });
      return { id: row.id as string, payload: payload as QueuedPush & { attempts?: number } };
    });
    if (!claimed) break;
    const { mapping, recordId, startedBy } = claimed.payload;
    const attempts = (claimed.payload.attempts ?? 0) + 1;
    let outcome: Record<string, unknown>;
    let tryAgain = false;
    try {
      let failure: unknown;
      const run = await replayRecord(services, { mapping, recordId }, startedBy, (e) => {
        failure = e;
      });
      outcome = { runId: run.id, status: run.status, error: run.error ?? undefined, attempts };
      tryAgain = attempts < MAX_ATTEMPTS && erpUnreachableForNow(failure);
      if (run.status === "failed" && !tryAgain)
        services.logger.warn({ mapping, recordId, runId: run.id, attempts }, "queued sync push failed; not retried");
    } catch (e) {
      if (isAppError(e) && e.code === "conflict") {
        // Another run of the connection holds its lock: not this push's attempt, tried again after the lease.
        outcome = { status: "waiting", error: (e as Error).message, attempts: attempts - 1 };
        tryAgain = true;
      } else {
        // A mapping or record gone since the step committed: recorded, not retried for ever.
        outcome = { status: "failed", error: (e as Error).message, attempts };
      }
    }
    // Left claimed, the push is tried again once the lease expires.
    const payload = JSON.stringify({ ...claimed.payload, ...outcome });
    await knex("kehu.outbox")
      .where({ id: claimed.id })
      .update(tryAgain ? { payload } : { sent_at: knex.fn.now(), payload });
  }
  return done;
}

/** Whether a run failed only because the ERP could not be reached for now (not a refused login, certificate or address). */
function erpUnreachableForNow(failure: unknown): boolean {
  return failure instanceof ErpUnreachable && !isPermanentFailure(failure.cause);
}
