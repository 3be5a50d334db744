import { randomUUID } from "node:crypto";
import type { StreamState } from "@kehu/connector-kit";
import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { COUNT_NAMES, type RunCounts } from "./run-counts";

export const RUN_STATUSES = ["running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Where a run is: the stream and direction in work and the pages committed so far. */
export interface RunProgress {
  stream: string;
  direction: "pull" | "push";
  page: number;
}

/** A run as the API shows it. */
export interface RunView extends RunCounts {
  id: string;
  connection: string;
  streams: string[];
  mode: "incremental" | "full" | "replay";
  trigger: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  startedBy: string | null;
  pages: number;
  progress: RunProgress | null;
  startState: Record<string, StreamState | null>;
  error: string | null;
}

export function runView(row: Record<string, unknown>): RunView {
  return {
    id: row.id as string,
    connection: row.connection as string,
    streams: row.streams as string[],
    mode: row.mode as RunView["mode"],
    trigger: row.trigger as string,
    status: row.status as RunStatus,
    startedAt: row.started_at as string,
    endedAt: (row.ended_at as string | null) ?? null,
    startedBy: (row.started_by as string | null) ?? null,
    ...(Object.fromEntries(COUNT_NAMES.map((n) => [n, row[n] as number])) as unknown as RunCounts),
    pages: row.pages as number,
    progress: (row.progress as RunProgress | null) ?? null,
    startState: row.start_state as Record<string, StreamState | null>,
    error: (row.error as string | null) ?? null,
  };
}

export async function insertRun(
  knex: Knex,
  run: {
    connection: string;
    streams: string[];
    mode: RunView["mode"];
    trigger: string;
    startedBy: string | null;
    startState: Record<string, StreamState | null>;
  },
): Promise<string> {
  const id = randomUUID();
  await knex("kehu.sync_runs").insert({
    id,
    connection: run.connection,
    streams: run.streams,
    mode: run.mode,
    trigger: run.trigger,
    status: "running",
    started_by: run.startedBy,
    start_state: JSON.stringify(run.startState),
  });
  return id;
}

/** Adds a page's counts to its run, in the page's transaction, and beats the run's heart. */
export async function addRunCounts(trx: Knex, runId: string, counts: RunCounts, progress: RunProgress): Promise<void> {
  await runCountsAdd(trx, runId, counts, progress);
}

/** The statement of `addRunCounts` (a query builder: await it, or pass it to `writeOf`). */
export function runCountsAdd(trx: Knex, runId: string, counts: RunCounts, progress: RunProgress): Knex.QueryBuilder {
  const set: Record<string, unknown> = Object.fromEntries(
    COUNT_NAMES.filter((n) => counts[n]).map((n) => [n, trx.raw("?? + ?", [n, counts[n]])]),
  );
  return trx("kehu.sync_runs")
    .where({ id: runId })
    .update({ ...set, pages: trx.raw("pages + 1"), progress: JSON.stringify(progress), heartbeat_at: trx.fn.now() });
}

export async function finishRun(knex: Knex, runId: string, status: RunStatus, error?: string): Promise<void> {
  await knex("kehu.sync_runs")
    .where({ id: runId })
    .update({ status, error: error ?? null, ended_at: knex.fn.now() });
}

/** Marks runs of a connection left `running` by a process that died as failed (the caller holds the run lock). */
export async function closeAbandonedRuns(knex: Knex, connection: string): Promise<void> {
  await knex("kehu.sync_runs").where({ connection, status: "running" }).update({
    status: "failed",
    ended_at: knex.fn.now(),
    error: "the process running it stopped (killed or crashed); the next run resumed from its last checkpoint",
  });
}

export async function getRun(knex: Knex, id: string): Promise<RunView> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await knex("kehu.sync_runs").where({ id }).first() : undefined;
  if (!row) throw new AppError("not_found", `No sync run ${id}`);
  return runView(row);
}

export async function listRuns(
  knex: Knex,
  filter: { connection?: string; status?: string; limit?: number },
): Promise<RunView[]> {
  const q = knex("kehu.sync_runs").orderBy([
    { column: "started_at", order: "desc" },
    { column: "id", order: "desc" },
  ]);
  if (filter.connection) q.where({ connection: filter.connection });
  if (filter.status) q.where({ status: filter.status });
  const rows = await q.limit(Math.min(filter.limit ?? 50, 500));
  return rows.map(runView);
}
