import { AppError, isUuid } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import { instanceView, taskView } from "../../workflow/instance-view";
import { canSeeTask, TaskActions, taskActorOf } from "../../workflow/task-actions";
import type { AppEnv } from "../app-env";
import { enumParam } from "../list-params";
import { readJsonBody } from "../read-json-body";
import { taskSubjects } from "./task-subject";
import { runtimeOf } from "./workflows.routes";

const VIEWS = ["mine", "claimable", "all"];
/** `?sort=`: oldest first (default), soonest due first (no due date last), highest priority first. */
const SORTS = {
  created: [{ column: "created_at" }],
  due: [{ column: "due_at", nulls: "last" }, { column: "created_at" }],
  priority: [{ column: "priority", order: "desc" }, { column: "created_at" }],
} as const;

/**
 * `/api/tasks`: the user-task inbox. `?view=mine` (assigned to me, default), `claimable` (unassigned, I am a candidate
 * user or in a candidate group), `all` (admins); `?sort=created|due|priority`; one task with its comments; claim, complete (form data), delegate,
 * comment. Every action lands in the instance history and the audit trail (channel `workflow`).
 */
export function taskRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const actorOf = (c: Context<AppEnv>) => {
    const principal = c.get("principal") ?? SYSTEM_PRINCIPAL;
    return taskActorOf(ctx.db.knex, principal);
  };
  const actions = () => new TaskActions(runtimeOf(ctx));
  const writable = (c: Context<AppEnv>) => {
    if (c.get("principal")?.token?.access === "read")
      throw new AppError("forbidden", "A read-only token cannot act on tasks");
  };
  const idOf = (c: Context<AppEnv>) => {
    const id = c.req.param("id") ?? "";
    if (!isUuid(id)) throw new AppError("not_found", `No task ${id}`);
    return id;
  };
  const now = () => runtimeOf(ctx).clock.now();
  const taskRow = (id: string) => ctx.db.knex("kehu.wf_tasks").where({ id }).first();

  routes.get("/", async (c) => {
    const actor = await actorOf(c);
    const view = c.req.query("view") ?? "mine";
    if (!VIEWS.includes(view))
      throw new AppError("bad_request", `view must be one of ${VIEWS.join(", ")}`, [
        { path: "/view", message: "unknown view" },
      ]);
    const status = c.req.query("status") ?? "open";
    const sort = enumParam("sort", c.req.query("sort"), Object.keys(SORTS) as (keyof typeof SORTS)[]) ?? "created";
    const q = ctx.db
      .knex("kehu.wf_tasks")
      .where({ status })
      .orderBy([...SORTS[sort]])
      .limit(500);
    if (view === "mine") q.where({ assignee: actor.principal.login });
    else if (view === "claimable")
      q.whereNull("assignee").where((w) =>
        w
          .whereRaw("? = ANY(candidate_users)", [actor.principal.login])
          .orWhereRaw("candidate_groups && ?::text[]", [actor.roles]),
      );
    else if (!actor.principal.isAdmin) throw new AppError("forbidden", "Only administrators may list all tasks");
    const rows = await q;
    const subjects = await taskSubjects(
      ctx.db.knex,
      rows.map((r) => r.instance_id),
    );
    return c.json({ data: rows.map((r) => ({ ...taskView(r, now()), subject: subjects.get(r.instance_id) ?? null })) });
  });

  routes.get("/:id", async (c) => {
    const actor = await actorOf(c);
    const row = await taskRow(idOf(c));
    if (!row || !canSeeTask(row, actor)) throw new AppError("not_found", `No task ${c.req.param("id")}`);
    const comments = await ctx.db.knex("kehu.wf_task_comments").where({ task_id: row.id }).orderBy("id");
    const subjects = await taskSubjects(ctx.db.knex, [row.instance_id]);
    return c.json({
      ...taskView(row, now()),
      subject: subjects.get(row.instance_id) ?? null,
      comments: comments.map((m) => ({ author: m.author, body: m.body, at: new Date(m.at).toISOString() })),
    });
  });

  routes.post("/:id/claim", async (c) => {
    writable(c);
    await actions().claim(idOf(c), await actorOf(c));
    return c.json(taskView(await taskRow(idOf(c)), now()));
  });

  routes.post("/:id/complete", async (c) => {
    writable(c);
    const body = await readJsonBody(c);
    const outcome = await actions().complete(idOf(c), body, await actorOf(c));
    const instance = await ctx.db.knex("kehu.wf_instances").where({ id: outcome.instanceId }).first();
    return c.json({
      task: taskView(await taskRow(idOf(c)), now()),
      instance: instanceView(instance),
    });
  });

  routes.post("/:id/delegate", async (c) => {
    writable(c);
    const body = (await readJsonBody(c)) as Record<string, unknown>;
    await actions().delegate(idOf(c), body?.to, await actorOf(c));
    return c.json(taskView(await taskRow(idOf(c)), now()));
  });

  routes.post("/:id/comments", async (c) => {
    writable(c);
    const body = (await readJsonBody(c)) as Record<string, unknown>;
    await actions().comment(idOf(c), body?.body, await actorOf(c));
    return c.json({ ok: true }, 201);
  });
  return routes;
}
