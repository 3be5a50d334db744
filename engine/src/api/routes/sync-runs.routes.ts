import { AppError, type Issue } from "@kehu/core";
import { type Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { EngineContext } from "../../engine-context";
import { replayRecord } from "../../sync/replay";
import { getRun, listRuns, RUN_STATUSES } from "../../sync/run-store";
import { type RunSyncOptions, startSync } from "../../sync/run-sync";
import { syncServicesOf } from "../../sync/sync-services";
import type { AppEnv } from "../app-env";
import { enumParam, limitParam } from "../list-params";
import { readJsonBody, readOptionalJsonBody } from "../read-json-body";

const POLL_MS = 250;

function readRunRequest(body: unknown): { connection: string; streams?: string[]; full?: boolean } {
  const b = (body ?? {}) as Record<string, unknown>;
  const issues = [];
  if (typeof b.connection !== "string")
    issues.push({ path: "/connection", message: "is required: the connection's name" });
  if (b.streams !== undefined && !(Array.isArray(b.streams) && b.streams.every((s) => typeof s === "string")))
    issues.push({ path: "/streams", message: "must be a list of stream names" });
  if (b.full !== undefined && typeof b.full !== "boolean")
    issues.push({ path: "/full", message: "must be true or false" });
  for (const k of Object.keys(b))
    if (!["connection", "streams", "full"].includes(k))
      issues.push({ path: `/${k}`, message: "unknown property; use connection, streams, full" });
  if (issues.length) throw new AppError("validation_failed", "The run request is not valid", issues);
  return b as { connection: string; streams?: string[]; full?: boolean };
}

/**
 * The optional body of a run replay, `{"state": {<stream>: <checkpoint object> | null}}`: no body replays from the
 * run's starting checkpoints; a body that does not parse or names another stream is refused before anything runs.
 */
async function readReplayState(
  c: Context<AppEnv>,
  streams: string[],
): Promise<Record<string, Record<string, unknown> | null> | undefined> {
  const b = await readOptionalJsonBody(c);
  if (b === undefined) return undefined;
  const issues: Issue[] = [];
  if (typeof b !== "object" || b === null || Array.isArray(b))
    throw new AppError("validation_failed", "The replay request is not valid", [
      { path: "/", message: 'must be an object: {"state": {<stream>: <checkpoint> | null}}' },
    ]);
  for (const k of Object.keys(b))
    if (k !== "state") issues.push({ path: `/${k}`, message: "unknown property; use state" });
  const state = (b as { state?: unknown }).state;
  if (state !== undefined && (typeof state !== "object" || state === null || Array.isArray(state)))
    issues.push({ path: "/state", message: "must be an object of checkpoints by stream" });
  else if (state)
    for (const [stream, checkpoint] of Object.entries(state)) {
      if (!streams.includes(stream))
        issues.push({
          path: `/state/${stream}`,
          message: `the run read no stream "${stream}"; it read ${streams.join(", ")}`,
        });
      else if (checkpoint !== null && (typeof checkpoint !== "object" || Array.isArray(checkpoint)))
        issues.push({
          path: `/state/${stream}`,
          message: "must be a checkpoint object, or null to read from the beginning",
        });
    }
  if (issues.length) throw new AppError("validation_failed", "The replay request is not valid", issues);
  return state as Record<string, Record<string, unknown> | null> | undefined;
}

/** `/api/sync/runs` and `/api/sync/replay`: start runs (in this process), follow them, replay records and runs. */
export function syncRunRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const services = () => syncServicesOf(ctx);
  // Runs started by this process, so that they can be cancelled here.
  const running = new Map<string, AbortController>();
  const start = async (options: Omit<RunSyncOptions, "signal">) => {
    const abort = new AbortController();
    const { runId, done } = await startSync(services(), { ...options, signal: abort.signal });
    running.set(runId, abort);
    done
      .catch((e) => ctx.logger.error({ runId, err: (e as Error).message }, "sync run crashed"))
      .finally(() => running.delete(runId));
    return getRun(ctx.db.knex, runId);
  };

  routes.get("/runs", async (c) =>
    c.json({
      data: await listRuns(ctx.db.knex, {
        connection: c.req.query("connection"),
        status: enumParam("status", c.req.query("status"), RUN_STATUSES),
        limit: limitParam(c.req.query("limit"), 50, 500),
      }),
    }),
  );

  routes.post("/runs", async (c) => {
    const request = readRunRequest(await readJsonBody(c));
    const run = await start({ ...request, trigger: "api", startedBy: c.get("actor") });
    c.header("location", `/api/sync/runs/${run.id}`);
    return c.json(run, 202);
  });

  routes.get("/runs/:id", async (c) => c.json(await getRun(ctx.db.knex, c.req.param("id"))));

  /** Replays a run from the checkpoints it started at (or from `state` given per stream). */
  routes.post("/runs/:id/replay", async (c) => {
    const source = await getRun(ctx.db.knex, c.req.param("id"));
    const state = await readReplayState(c, source.streams);
    const fromState = (state ?? source.startState) as Record<string, Record<string, unknown> | null>;
    const run = await start({
      connection: source.connection,
      streams: source.streams,
      fromState,
      trigger: "replay",
      startedBy: c.get("actor"),
    });
    return c.json(run, 202);
  });

  routes.post("/runs/:id/cancel", async (c) => {
    const run = await getRun(ctx.db.knex, c.req.param("id"));
    if (run.status !== "running") throw new AppError("conflict", `Run ${run.id} is not running (${run.status})`);
    const abort = running.get(run.id);
    if (!abort) throw new AppError("conflict", `Run ${run.id} runs in another process; cancel it there`);
    abort.abort();
    return c.json({ id: run.id, cancelling: true }, 202);
  });

  routes.get("/runs/:id/events", async (c) => {
    let last = await getRun(ctx.db.knex, c.req.param("id"));
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: "progress", data: JSON.stringify(last) });
      while (last.status === "running" && !c.req.raw.signal.aborted) {
        await stream.sleep(POLL_MS);
        const now = await getRun(ctx.db.knex, last.id);
        if (now.pages !== last.pages || now.status !== last.status)
          await stream.writeSSE({ event: "progress", data: JSON.stringify(now) });
        last = now;
      }
      await stream.writeSSE({ event: "end", data: JSON.stringify(last) });
    });
  });

  routes.post("/replay", async (c) => {
    const b = ((await readJsonBody(c)) ?? {}) as Record<string, unknown>;
    // SAP keys such as DocEntry are numbers: `"externalKey": 12` names the record the link keeps as "12".
    if (typeof b.externalKey === "number" && Number.isSafeInteger(b.externalKey)) b.externalKey = String(b.externalKey);
    const byKey = typeof b.connection === "string" && typeof b.stream === "string" && typeof b.externalKey === "string";
    const byRecord = typeof b.mapping === "string" && typeof b.recordId === "string";
    if (!byKey && !byRecord)
      throw new AppError(
        "validation_failed",
        'Send {"connection", "stream", "externalKey"} to pull one record again, or {"mapping", "recordId"} to push one',
        [{ path: "/", message: "names no record" }],
      );
    const target = byKey
      ? { connection: b.connection as string, stream: b.stream as string, externalKey: b.externalKey as string }
      : { mapping: b.mapping as string, recordId: b.recordId as string };
    return c.json(await replayRecord(services(), target, c.get("actor")));
  });
  return routes;
}
