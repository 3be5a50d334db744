import { AppError, type Issue } from "@kehu/core";
import { SYNC_DEAD_LETTER_STATUSES, type SyncDeadLetterView } from "@kehu/schema";
import type { Knex } from "knex";
import type { PageWrite } from "./write-together";

export interface DeadLetterInput {
  /** Taken by `numberedDeadLetters`, so that the open letter this one replaces can name it. */
  id?: string;
  direction: "pull" | "push";
  externalKey: string | null;
  recordId: string | null;
  payload: unknown;
  reason: string;
  issues?: Issue[];
}

export type DeadLetterView = SyncDeadLetterView;

export const DEAD_LETTER_STATUSES = SYNC_DEAD_LETTER_STATUSES;

type RunSide = { runId: string; connection: string; stream: string; mapping: string };

export async function insertDeadLetters(trx: Knex, run: RunSide, items: DeadLetterInput[]): Promise<void> {
  if (items.length) await deadLettersInsert(trx, run, items);
}

/** The statement adding dead letters (a query builder: await it, or pass it to `writeOf`). */
export function deadLettersInsert(trx: Knex, run: RunSide, items: DeadLetterInput[]): Knex.QueryBuilder {
  return trx("kehu.sync_dead_letters").insert(
    items.map((d) => ({
      ...(d.id === undefined ? {} : { id: d.id }),
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

/**
 * The letters about to be added, with their ids taken now, and (record key, new id) pairs for `deadLettersReplace`:
 * the open letters they replace can then name them in the same write.
 */
export async function numberedDeadLetters(
  trx: Knex,
  items: DeadLetterInput[],
  column: "external_key" | "record_id",
): Promise<{ letters: DeadLetterInput[]; successors: Array<{ key: string; id: string }> }> {
  if (!items.length) return { letters: [], successors: [] };
  const { rows } = await trx.raw<{ rows: Array<{ id: string | number }> }>(
    "SELECT nextval(pg_get_serial_sequence('kehu.sync_dead_letters', 'id')) AS id FROM generate_series(1, ?)",
    [items.length],
  );
  const letters = items.map((d, i) => ({ ...d, id: String(rows[i].id) }));
  const keyOf = (d: DeadLetterInput) => (column === "record_id" ? d.recordId : d.externalKey);
  return { letters, successors: letters.flatMap((d) => (keyOf(d) ? [{ key: keyOf(d)!, id: d.id }] : [])) };
}

/**
 * Closes the open dead letters of records that failed again as `replaced`, each naming its successor: one open letter
 * per record, with the latest reason. `successors` pairs a record's key with its new letter's id (from
 * `nextDeadLetterIds`); only older letters are closed, so it may run before or after the new ones are added.
 */
export function deadLettersReplace(
  mapping: string,
  direction: "pull" | "push",
  column: "external_key" | "record_id",
  successors: Array<{ key: string; id: string }>,
): PageWrite {
  const type = column === "record_id" ? "uuid" : "text";
  return {
    sql: `UPDATE kehu.sync_dead_letters d SET status = 'replaced', closed_at = now(), closed_by = 'sync', replaced_by = v.id
      FROM unnest(?::${type}[], ?::bigint[]) AS v(key, id)
      WHERE d.mapping = ? AND d.direction = ? AND d.status = 'open' AND d.${column} = v.key AND d.id < v.id`,
    bindings: [successors.map((s) => s.key), successors.map((s) => s.id), mapping, direction],
  };
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
    replacedBy: row.replaced_by == null ? null : Number(row.replaced_by),
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
