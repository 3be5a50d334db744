import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import {
  listQueuedStarts,
  QUEUED_START_STATUSES,
  type QueuedStartStatus,
  retryQueuedStart,
} from "../../workflow/queued-starts";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { runtimeOf } from "./workflows.routes";

const requireAdmin = adminOnly("see and retry queued workflow starts");

/**
 * `/api/workflows/queued-starts` (administrators): the starts record triggers queued that have not run, given up
 * (`?status=failed`, the default) or still to run (`?status=pending`), and retrying one now.
 */
export function workflowQueuedStartRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use("*", requireAdmin);
  routes.get("/", async (c) => {
    const { status = "failed", limit: limitText } = c.req.query();
    if (!(QUEUED_START_STATUSES as readonly string[]).includes(status))
      throw new AppError("bad_request", `status must be one of ${QUEUED_START_STATUSES.join(", ")}`, [
        { path: "/status", message: "unknown status" },
      ]);
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new AppError("bad_request", "limit must be 1 to 1000", [{ path: "/limit", message: "out of range" }]);
    return c.json({ data: await listQueuedStarts(ctx.db.knex, status as QueuedStartStatus, limit) });
  });
  routes.post("/:id/retry", async (c) => {
    const runtime = runtimeOf(ctx);
    return c.json(await retryQueuedStart(ctx.db.knex, runtime.deps, c.req.param("id")));
  });
  return routes;
}
