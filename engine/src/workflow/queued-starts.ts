import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { RuntimeDeps } from "./runtime-deps";
import { type OutboxStart, type QueuedStart, recordStartFailure, tryQueuedStart } from "./start-outbox";

/** A queued start as admins see it: `failed` ones were given up by the drains, `pending` ones wait to run. */
export interface QueuedStartView {
  id: string;
  key: string;
  entity: string | null;
  recordId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string | null;
  /** When a pending start that failed is tried again (null: at the next drain). */
  nextAttemptAt: string | null;
}

export const QUEUED_START_STATUSES = ["failed", "pending"] as const;
export type QueuedStartStatus = (typeof QUEUED_START_STATUSES)[number];

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

function viewOf(row: Record<string, unknown>): QueuedStartView {
  const payload = row.payload as QueuedStart;
  return {
    id: String(row.id),
    key: payload.key,
    entity: payload.entity ?? null,
    recordId: payload.recordId ?? null,
    attempts: Number(row.attempts),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: iso(row.created_at)!,
    failedAt: iso(row.failed_at),
    nextAttemptAt: iso(row.next_attempt_at),
  };
}

/** The unsent queued starts, oldest first: given up (`failed`) or still to run (`pending`). */
export async function listQueuedStarts(
  knex: Knex,
  status: QueuedStartStatus,
  limit: number,
): Promise<QueuedStartView[]> {
  const q = knex("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").orderBy("id").limit(limit);
  if (status === "failed") q.whereNotNull("failed_at");
  else q.whereNull("failed_at");
  const rows = await q.select("id", "payload", "attempts", "last_error", "created_at", "failed_at", "next_attempt_at");
  return rows.map(viewOf);
}

/**
 * Runs a queued start now, whatever its attempts (an admin's retry, after fixing its cause): its count starts over,
 * and it creates exactly one instance (its row is locked, and marked sent with it). A start that fails again is
 * refused with its reason and counts as the first attempt of a fresh round of drains.
 */
export async function retryQueuedStart(knex: Knex, deps: RuntimeDeps, id: string): Promise<{ instanceId: string }> {
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new AppError("not_found", `No queued workflow start ${id}`);
  const outcome = await knex.transaction(async (trx) => {
    // Waits for a drain that holds the row; drains skip it while this holds it.
    const row = await trx("kehu.outbox")
      .where({ id, kind: "workflow.start" })
      .forUpdate()
      .first("id", "payload", "sent_at");
    if (!row) throw new AppError("not_found", `No queued workflow start ${id}`);
    if (row.sent_at) throw new AppError("conflict", `Queued workflow start ${id} already ran`);
    const start: OutboxStart = { id: row.id, payload: row.payload, attempts: 0 };
    const result = await tryQueuedStart(trx, deps, start);
    if ("instanceId" in result)
      await trx("kehu.outbox")
        .where({ id })
        .update({ sent_at: deps.clock.now(), attempts: 0, last_error: null, failed_at: null, next_attempt_at: null });
    else await recordStartFailure(trx, deps, start, result.error);
    return result;
  });
  if ("error" in outcome)
    throw new AppError("start_failed", `Queued workflow start ${id} failed again: ${outcome.error}`, [], {
      lastError: outcome.error,
    });
  return outcome;
}
