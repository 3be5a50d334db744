import { AppError, isUuid } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { instanceView, taskView } from "../../workflow/instance-view";
import { mayReadInstance, mayReadLinkedRecord, whereHasTask } from "../../workflow/instance-visibility";
import type { AppEnv } from "../app-env";
import { runtimeOf } from "./workflows.routes";

const STATUSES = ["running", "waiting", "completed", "failed", "cancelled"];

/**
 * `/api/workflows/instances`: list (filters: status, key, businessKey, entity, recordId), one instance with its open
 * tasks and pending timers, its history (admins, the starter, users with a task in it, users who may read its record),
 * cancel and retry (admins or the starter).
 */
export function workflowInstanceRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const visible = async (c: Context<AppEnv>) => {
    const id = c.req.param("id") ?? "";
    const row = isUuid(id) ? await ctx.db.knex("kehu.wf_instances").where({ id }).first() : undefined;
    if (!row || !(await mayReadInstance(ctx, c.get("principal"), row)))
      throw new AppError("not_found", `No workflow instance ${id}`);
    return row;
  };
  const manageable = async (c: Context<AppEnv>) => {
    const row = await visible(c);
    const principal = c.get("principal");
    if (!principal?.isAdmin && row.started_by !== principal?.login)
      throw new AppError("forbidden", "Only an administrator or the starter may cancel or retry an instance");
    return row;
  };

  routes.get("/", async (c) => {
    const { status, key, businessKey, entity, recordId, limit: limitText } = c.req.query();
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new AppError("bad_request", "limit must be 1 to 1000", [{ path: "/limit", message: "out of range" }]);
    if (status !== undefined && !STATUSES.includes(status))
      throw new AppError("bad_request", `status must be one of ${STATUSES.join(", ")}`, [
        { path: "/status", message: "unknown status" },
      ]);
    if (recordId !== undefined && !isUuid(recordId))
      throw new AppError("bad_request", "recordId must be a record id", [{ path: "/recordId", message: "not a uuid" }]);
    const q = ctx.db.knex("kehu.wf_instances").orderBy("created_at", "desc").limit(limit);
    if (status) q.where({ status });
    if (key) q.where({ key });
    if (businessKey) q.where({ business_key: businessKey });
    if (entity) q.where({ entity });
    if (recordId) q.where({ record_id: recordId });
    const principal = c.get("principal");
    const recordReadable =
      principal && entity && recordId ? await mayReadLinkedRecord(ctx, principal, entity, recordId) : false;
    if (!principal) q.whereRaw("FALSE");
    else if (!principal.isAdmin && !recordReadable) {
      const withTask = await whereHasTask(ctx.db.knex, principal);
      q.where((w) => w.where({ started_by: principal.login }).orWhereIn("id", withTask));
    }
    const rows = await q.select("*");
    return c.json({ data: rows.map(instanceView) });
  });

  routes.get("/:id", async (c) => {
    const row = await visible(c);
    const tasks = await ctx.db.knex("kehu.wf_tasks").where({ instance_id: row.id }).orderBy("created_at");
    const timers = await ctx.db
      .knex("kehu.wf_timers")
      .where({ instance_id: row.id, status: "pending" })
      .orderBy("due_at");
    return c.json({
      ...instanceView(row),
      tasks: tasks.map((t) => taskView(t, runtimeOf(ctx).clock.now())),
      timers: timers.map((t) => ({ id: t.id, elementId: t.element_id, dueAt: new Date(t.due_at).toISOString() })),
    });
  });

  routes.get("/:id/history", async (c) => {
    const row = await visible(c);
    const rows = await ctx.db.knex("kehu.wf_history").where({ instance_id: row.id }).orderBy("id");
    const data = rows.map((h) => ({
      at: new Date(h.at).toISOString(),
      elementId: h.element_id || null,
      elementType: h.element_type || null,
      event: h.event,
      actor: h.actor,
      detail: h.detail ?? null,
    }));
    return c.json({ data });
  });

  routes.post("/:id/cancel", async (c) => {
    const row = await manageable(c);
    await runtimeOf(ctx).cancel(row.id, c.get("principal")?.login ?? c.get("actor"), c.get("principal"));
    return c.json(instanceView(await ctx.db.knex("kehu.wf_instances").where({ id: row.id }).first()));
  });

  routes.post("/:id/retry", async (c) => {
    const row = await manageable(c);
    await runtimeOf(ctx).retry(row.id, c.get("principal")?.login ?? c.get("actor"), c.get("principal"));
    return c.json(instanceView(await ctx.db.knex("kehu.wf_instances").where({ id: row.id }).first()));
  });
  return routes;
}
