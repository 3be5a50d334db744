import { AppError, isUuid } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Knex } from "knex";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";
import { limitParam } from "../list-params";
import { taskSubjects } from "./task-subject";

const MAX_LIMIT = 200;

/**
 * `/api/notifications`: the caller's own notifications (workflow `notify` steps, reminders, escalations), newest
 * first, with the unread count; `?unread=1` lists only unread ones. `POST /:id/read` and `POST /read-all` mark them
 * read. Each notification names its workflow's subject (entity and record) and, when the caller has one there, the
 * open task, so the studio can link to them. Nobody sees or marks another user's notifications.
 */
export function notificationRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  const mine = (c: Context<AppEnv>) => knex("kehu.wf_notifications").where({ user_login: loginOf(c) });

  routes.get("/", async (c) => {
    const limit = limitParam(c.req.query("limit"), 50, MAX_LIMIT);
    const unreadOnly = ["1", "true"].includes(c.req.query("unread") ?? "");
    const q = mine(c).orderBy([
      { column: "created_at", order: "desc" },
      { column: "id", order: "desc" },
    ]);
    if (unreadOnly) q.whereNull("read_at");
    const rows = await q.limit(limit);
    return c.json({ data: await views(knex, loginOf(c), rows), unread: await unreadCount(mine(c)) });
  });

  routes.get("/unread-count", async (c) => c.json({ unread: await unreadCount(mine(c)) }));

  routes.post("/read-all", async (c) => {
    writable(c);
    const marked = await mine(c).whereNull("read_at").update({ read_at: knex.fn.now() });
    return c.json({ marked: Number(marked), unread: 0 });
  });

  routes.post("/:id/read", async (c) => {
    writable(c);
    const id = c.req.param("id");
    if (!isUuid(id)) throw new AppError("not_found", `No notification ${id}`);
    const row = await mine(c).where({ id }).first();
    if (!row) throw new AppError("not_found", `No notification ${id}`);
    const [updated] = row.read_at
      ? [row]
      : await mine(c).where({ id }).update({ read_at: knex.fn.now() }).returning("*");
    const [view] = await views(knex, loginOf(c), [updated]);
    return c.json({ ...view, unread: await unreadCount(mine(c)) });
  });

  return routes;
}

interface NotificationRow {
  id: string;
  title: string;
  body: string | null;
  instance_id: string | null;
  created_at: Date | string;
  read_at: Date | string | null;
}

async function views(knex: Knex, login: string, rows: NotificationRow[]) {
  const instances = rows.map((r) => r.instance_id).filter((id): id is string => Boolean(id));
  const subjects = await taskSubjects(knex, instances);
  const tasks = instances.length
    ? await knex("kehu.wf_tasks")
        .whereIn("instance_id", [...new Set(instances)])
        .where({ status: "open", assignee: login })
        .orderBy("created_at")
        .select("id", "instance_id")
    : [];
  const taskOf = new Map<string, string>();
  for (const t of tasks) if (!taskOf.has(String(t.instance_id))) taskOf.set(String(t.instance_id), String(t.id));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    instanceId: r.instance_id,
    subject: (r.instance_id && subjects.get(String(r.instance_id))) || null,
    taskId: (r.instance_id && taskOf.get(String(r.instance_id))) || null,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  }));
}

async function unreadCount(q: Knex.QueryBuilder): Promise<number> {
  const row = await q.whereNull("read_at").count<{ n: string | number }[]>({ n: "*" }).first();
  return Number(row?.n ?? 0);
}

function loginOf(c: Context<AppEnv>): string {
  const login = c.get("principal")?.login;
  if (!login) throw new AppError("unauthorized", "Sign in to see your notifications");
  return login;
}

function writable(c: Context<AppEnv>) {
  if (c.get("principal")?.token?.access === "read")
    throw new AppError("forbidden", "A read-only token cannot mark notifications read");
}
