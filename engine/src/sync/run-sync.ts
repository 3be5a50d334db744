import { type ExternalRecord, type StreamState, retry as withRetry } from "@kehu/connector-kit";
import { columnsOf } from "../storage/columns";
import { entityTable, quoteIdent } from "../storage/identifiers";
import { type RetryPolicy, realSleep, retryPolicyFor } from "./backoff";
import type { MappingRun } from "./mapping-run";
import { disjoint, isDeadlock, PageTurn, PredecessorRolledBack, pageKeysOf } from "./page-overlap";
import { isPermanentFailure } from "./permanent-failure";
import { pullOrder } from "./pull-order";
import { commitPullPage } from "./pull-page";
import { prepareAhead } from "./pull-prepare";
import { type PushCursor, pushCandidates, pushPage } from "./push-page";
import { readAhead } from "./read-ahead";
import { addCounts, emptyCounts, type RunCounts } from "./run-counts";
import { runFailureMessage } from "./run-failure-message";
import { getRun, type RunView } from "./run-store";
import { loadStreamState } from "./stream-state";
import type { SyncProgress } from "./sync-progress";
import type { SyncServices } from "./sync-services";
import { type OpenRun, openRun } from "./sync-session";

export interface RunSyncOptions {
  connection: string;
  /** Only the mappings of these streams; all enabled mappings of the connection otherwise. */
  streams?: string[];
  /** Read every stream from the beginning instead of from its stored checkpoint. */
  full?: boolean;
  /** Replay from these checkpoints (null: from the beginning), by stream. */
  fromState?: Record<string, StreamState | null>;
  /** Who started the run; a scheduled run retries more patiently than one someone waits for. */
  trigger?: "api" | "cli" | "schedule" | "replay";
  startedBy?: string | null;
  onProgress?: (event: SyncProgress) => void;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  /** At most this many records per committed page (a connector's own pages are cut when longer). */
  pageSize?: number;
}

/** Starts a run and returns its id at once; `done` settles with the finished run (it never rejects). */
export async function startSync(
  services: SyncServices,
  options: RunSyncOptions,
): Promise<{ runId: string; done: Promise<RunView> }> {
  const mode = options.fromState ? "replay" : options.full ? "full" : "incremental";
  const trigger = options.trigger ?? (options.fromState ? "replay" : "api");
  const run = await openRun(services, {
    connection: options.connection,
    streams: options.streams,
    mode,
    trigger,
    startedBy: options.startedBy,
    startState: options.fromState,
  });
  return { runId: run.runId, done: execute(services, run, { ...options, trigger }) };
}

/** Runs a connection's mappings: pulls first (stream by stream, page by page), then pushes. */
export async function runSync(services: SyncServices, options: RunSyncOptions): Promise<RunView> {
  const { done } = await startSync(services, options);
  return done;
}

async function execute(services: SyncServices, run: OpenRun, options: RunSyncOptions): Promise<RunView> {
  const totals = emptyCounts();
  // A scheduled run backs off longer than one someone waits for (see retryPolicyFor).
  const retry = { ...retryPolicyFor(options.trigger ?? "api"), ...options.retry };
  const progress = (mr: MappingRun, direction: "pull" | "push", page: number, counts: RunCounts) => {
    addCounts(totals, counts);
    options.onProgress?.({ runId: run.runId, stream: mr.mapping.stream, direction, page, counts: { ...totals } });
  };
  try {
    for (const mapping of pullOrder(run.mappings)) {
      const mr = await run.mappingRun(mapping);
      await pullStream(services, run, mr, options, retry, progress);
    }
    for (const mapping of run.mappings) {
      if (mapping.direction === "pull") continue;
      const mr = await run.mappingRun(mapping);
      await pushMapping(run, mr, options, retry, progress);
    }
    await run.finish("succeeded");
  } catch (e) {
    const cancelled = options.signal?.aborted;
    const message = runFailureMessage(e);
    // A person who started the run sees its failure where they started it; a scheduled run's failure is an alert.
    const level = options.trigger === "schedule" ? "error" : "info";
    services.logger[level]({ runId: run.runId, err: message }, "sync run failed");
    await run.finish(cancelled ? "cancelled" : "failed", cancelled ? "cancelled" : message);
  }
  return getRun(services.knex, run.runId);
}

type Progress = (mr: MappingRun, direction: "pull" | "push", page: number, counts: RunCounts) => void;

/** Reads a stream from its checkpoint, committing page by page; a failed read resumes from the last commit. */
async function pullStream(
  services: SyncServices,
  run: OpenRun,
  mr: MappingRun,
  options: RunSyncOptions,
  retry: RetryPolicy,
  progress: Progress,
): Promise<void> {
  const stream = mr.mapping.stream;
  let state: StreamState | undefined;
  if (options.fromState && stream in options.fromState) state = options.fromState[stream] ?? undefined;
  else if (!options.full) state = await loadStreamState(services.knex, run.connection.name, stream);
  const maxPage = options.pageSize ?? 500;
  let page = 0;
  // On PostgreSQL a page whose keys are disjoint from the page before starts its transaction while that one commits
  // (PGlite has one connection: its pages queue for it anyway). Two page transactions, the run lock, the statistics
  // refresh and the next page's lookups each need a connection: a smaller pool commits page by page.
  // Not for streams whose pages match records Kehu pushed (by idempotency key or a key derived from it): those
  // matches are not among a page's keys. A page written again for the page before's sake (see below) ends the
  // overlap for the rest of the stream.
  let overlapping =
    services.backend === "postgres" &&
    (services.knex.client.config.pool?.max ?? 0) >= 5 &&
    !mr.stream?.idempotencyKeyField &&
    !mr.createdKeyOf;
  const readFromCheckpoint = async () => {
    let buffer: ExternalRecord[] = [];
    // The newest page in flight (its commit, its keys, its turn) and the commit of the one before it: at most two
    // pages are in flight, and they commit in order. A failure surfaces when the next page waits for them. Keys are
    // undefined for a page that may not overlap the page before or after it.
    let newest: { committing: Promise<void>; keys: Promise<Set<string> | undefined>; turn?: PageTurn } = {
      committing: Promise.resolve(),
      keys: Promise.resolve(new Set()),
    };
    let older: Promise<void> = Promise.resolve();
    const commit = async (next: StreamState | undefined) => {
      const records = buffer;
      buffer = [];
      const early = prepareAhead(mr, records);
      const { committing: before, keys: beforeKeys, turn: beforeTurn } = newest;
      const keys = (overlapping && early ? early.then((p) => pageKeysOf(mr, p)) : Promise.resolve(undefined)).catch(
        () => undefined,
      );
      const n = ++page;
      const turn = overlapping ? new PageTurn(`${run.runId}:${stream}`, n) : undefined;
      await older;
      older = before;
      const committing = (async () => {
        const mine = await keys;
        const theirs = await beforeKeys;
        const after = beforeTurn && mine && theirs && disjoint(mine, theirs) ? beforeTurn : undefined;
        // Begun once the page before holds its turn: this page's wait for it is then one PostgreSQL sees.
        if (after) await after.locked;
        else await before;
        let counts: RunCounts;
        try {
          counts = await commitPullPage(mr, records, next, n, early, turn && { turn, after, before });
        } catch (e) {
          turn?.markEnded(false);
          // Settled only after the page before: a retry must not start while that one still commits.
          const beforeCommitted = await before.then(
            () => true,
            () => false,
          );
          // Rolled back for the page before's sake (it rolled back, or PostgreSQL broke a lock cycle between the two
          // pages): written again after it, and the stream's later pages commit one by one.
          if (!beforeCommitted || !(e instanceof PredecessorRolledBack || isDeadlock(e))) throw e;
          overlapping = false;
          counts = await commitPullPage(mr, records, next, n, early);
        }
        // Its checkpoint and progress come after the page before's.
        await before;
        if (next !== undefined) state = next;
        if (counts.created && (n & (n - 1)) === 0) await refreshStatistics(services, mr);
        progress(mr, "pull", n, counts);
      })();
      committing.catch(() => undefined);
      newest = { committing, keys, turn };
    };
    // The next page is fetched while this one commits.
    const messages = readAhead(run.session().read(stream, state, { signal: options.signal }), maxPage * 4);
    try {
      for await (const m of messages) {
        options.signal?.throwIfAborted();
        if (m.type === "record") {
          buffer.push(m.record);
          if (buffer.length >= maxPage) await commit(undefined);
        } else if (m.type === "state") await commit(m.state);
        else services.logger[m.level]({ connection: run.connection.name, stream }, m.message);
      }
      if (buffer.length) await commit(undefined);
    } finally {
      // A failed read is retried from the last checkpoint: only once the pages in flight have committed (or failed).
      await newest.committing.catch(() => undefined);
    }
    await newest.committing;
  };
  // Every read failure but a permanent one is retried: the next attempt resumes from the last committed checkpoint.
  await withRetry(readFromCheckpoint, {
    ...retry,
    classify: (error) => ({ retryable: !isPermanentFailure(error) }),
    signal: options.signal,
    sleep: services.sleep ?? realSleep,
    random: services.random,
    onRetry: ({ attempt, error }) =>
      services.logger.warn(
        { stream, attempt, err: (error as Error).message },
        "sync read failed; resuming from the last checkpoint",
      ),
  });
}

/**
 * ANALYZE of the link table and the entity table after pages 1, 2, 4, 8, … that created records: autovacuum lags
 * behind a bulk import (or is off), and a planner that believes the tables empty walks every link of the stream
 * for each page. Log-many refreshes keep the page lookups on their indexes as the tables grow.
 */
async function refreshStatistics(services: SyncServices, mr: MappingRun): Promise<void> {
  // The columns the page queries probe only (the table's row count comes with any of them): the link table's JSON
  // columns made ANALYZE cost seconds, and the entity's other columns took most of the rest.
  const key = mr.entity.fields.find((f) => f.name === mr.mapping.key.entity);
  const columns = ["id", "deleted_at", ...(key ? columnsOf(key).map((c) => c.name) : [])].map(quoteIdent);
  await services.knex.raw(
    `ANALYZE kehu.sync_links (connection, stream, entity, external_key, record_id), ${entityTable(mr.entity.name)} (${columns.join(", ")})`,
  );
}

async function pushMapping(
  run: OpenRun,
  mr: MappingRun,
  options: RunSyncOptions,
  retry: RetryPolicy,
  progress: Progress,
): Promise<void> {
  const pageSize = Math.min(options.pageSize ?? 100, 1000);
  let after: PushCursor | undefined;
  for (let page = 1; ; page++) {
    options.signal?.throwIfAborted();
    const candidates = await pushCandidates(mr, after, pageSize);
    if (!candidates.length) return;
    const last = candidates[candidates.length - 1].record;
    after = { updatedAt: last.updated_at as string, id: last.id as string };
    const counts = await pushPage(mr, run.session(), candidates, page, retry, options.signal);
    progress(mr, "push", page, counts);
  }
}
