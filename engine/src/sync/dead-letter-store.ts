import { AppError, type Issue } from "@kehu/core";
import type { SyncDeadLetterView } from "@kehu/schema";
import type { Knex } from "knex";

export interface DeadLetterInput {
  direction: "pull" | "push";
  externalKey: string | null;
  recordId: string | null;
  payload: unknown;
  reason: string;
  issues?: Issue[];
}

export type DeadLetterView = SyncDeadLetterView;

export const DEAD_LETTER_STATUSES: readonly DeadLetterView["status"][] = ["open", "retried", "discarded"];

type RunSide = { runId: string; connection: string; stream: string; mapping: string };

export async function insertDeadLetters(trx: Knex, run: RunSide, items: DeadLetterInput[]): Promise<void> {
  if (items.length) await deadLettersInsert(trx, run, items);
}

/** The statement adding dead letters (a query builder: await it, or pass it to `writeOf`). */
export function deadLettersInsert(trx: Knex, run: RunSide, items: DeadLetterInput[]): Knex.QueryBuilder {
  return trx("kehu.sync_dead_letters").insert(
    items.map((d) => ({
      run_id: run.runId,
      connection: run.connection,
      stream: run.stream,
      mapping: run.mapping,
      direction: d.direction,
      external_key: d.externalKey,
      record_id: d.recordId,
      payload: JSON.stringify(d.payload ?? null),
      reason: d.reason,
      issues: JSON.stringify(d.issues ?? []),
    })),
  );
}

/** Closes the open dead letters of records that have now synced. */
export async function closeSyncedDeadLetters(
  trx: Knex,
  mapping: string,
  direction: "pull" | "push",
  column: "external_key" | "record_id",
  values: string[],
  status: "retried" | "discarded" = "retried",
): Promise<void> {
  if (values.length) await syncedDeadLettersClose(trx, mapping, direction, column, values, status);
}

/**
 * The statement of `closeSyncedDeadLetters` (a query builder: await it, or pass it to `writeOf`). `discarded`
 * closes the letters of records the mapping now leaves out (its filter): no retry will ever take them.
 */
export function syncedDeadLettersClose(
  trx: Knex,
  mapping: string,
  direction: "pull" | "push",
  column: "external_key" | "record_id",
  values: string[],
  status: "retried" | "discarded" = "retried",
): Knex.QueryBuilder {
  return trx("kehu.sync_dead_letters")
    .where({ mapping, direction, status: "open" })
    .whereRaw(`${column} = ANY(?::${column === "record_id" ? "uuid" : "text"}[])`, [values])
    .update({ status, closed_at: trx.fn.now(), closed_by: "sync" });
}

function view(row: Record<string, unknown>): DeadLetterView {
  return {
    id: Number(row.id),
    runId: row.run_id as string,
    direction: row.direction as DeadLetterView["direction"],
    connection: row.connection as string,
    stream: row.stream as string,
    mapping: row.mapping as string,
    externalKey: (row.external_key as string | null) ?? null,
    recordId: (row.record_id as string | null) ?? null,
    payload: row.payload,
    reason: row.reason as string,
    issues: (row.issues as Issue[] | null) ?? [],
    status: row.status as DeadLetterView["status"],
    createdAt: row.created_at as string,
    closedAt: (row.closed_at as string | null) ?? null,
    closedBy: (row.closed_by as string | null) ?? null,
  };
}

export async function listDeadLetters(
  knex: Knex,
  filter: { connection?: string; mapping?: string; status?: string; runId?: string; limit?: number },
): Promise<DeadLetterView[]> {
  const q = knex("kehu.sync_dead_letters").orderBy("id", "desc");
  if (filter.connection) q.where({ connection: filter.connection });
  if (filter.mapping) q.where({ mapping: filter.mapping });
  if (filter.status) q.where({ status: filter.status });
  if (filter.runId) q.where({ run_id: filter.runId });
  return (await q.limit(Math.min(filter.limit ?? 100, 1000))).map(view);
}

export async function getDeadLetter(knex: Knex, id: string | number): Promise<DeadLetterView> {
  // Ids are bigints: a longer number names no letter (and must not reach the database as an out-of-range value).
  const row = /^\d{1,15}$/.test(String(id)) ? await knex("kehu.sync_dead_letters").where({ id }).first() : undefined;
  if (!row) throw new AppError("not_found", `No dead letter ${id}`);
  return view(row);
}

export async function closeDeadLetter(
  knex: Knex,
  id: number,
  status: "retried" | "discarded",
  by: string,
): Promise<DeadLetterView> {
  const n = await knex("kehu.sync_dead_letters")
    .where({ id, status: "open" })
    .update({ status, closed_at: knex.fn.now(), closed_by: by });
  if (!n) throw new AppError("conflict", `Dead letter ${id} is not open`);
  return getDeadLetter(knex, id);
}
