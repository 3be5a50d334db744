import { AppError, isUuid } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { loadAccess } from "../../security/load-access";
import { assertRecordAccess } from "../../security/record-access";
import type { AppEnv } from "../app-env";
import { cursorParam, limitParam } from "../list-params";

const MAX_LIMIT = 1000;

/**
 * `GET /api/audit?entity=E&record=R` (admins, or whoever may read the record) and `GET /api/audit?user=U` (admins,
 * or the user themself): audit rows newest first, `limit` (default 100) and `before` (the `nextCursor`) to page.
 * Values of fields hidden from the caller are left out. There is no route to change or delete an audit row.
 */
export function auditRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/", async (c) => {
    const access = await loadAccess(ctx, c.get("principal"));
    const { entity: entityName, record, user } = c.req.query();
    const limit = limitParam(c.req.query("limit"), 100, MAX_LIMIT);
    const before = cursorParam(c.req.query("before"));
    const q = ctx.db
      .knex("kehu.audit_log")
      .orderBy("id", "desc")
      .limit(limit + 1);
    if (before !== undefined) q.where("id", "<", before);
    if (user !== undefined) {
      if (!isUuid(user))
        throw new AppError("bad_request", "user must be a user id", [{ path: "/user", message: "not a uuid" }]);
      if (!access.isAdmin && user !== access.principal.userId)
        throw new AppError("forbidden", "Only administrators may read the audit trail of other users");
      q.where("actor_id", user);
    } else if (entityName !== undefined && record !== undefined) {
      const entity = ctx.registry.require(entityName);
      await assertRecordAccess(ctx.db.knex, access, entity, record, "read", { includeDeleted: true });
      q.where({ entity: entity.name, record_id: record });
    } else
      throw new AppError("bad_request", "Say whose trail: ?entity=&record= or ?user=", [
        { path: "/entity", message: "entity and record, or user, are needed" },
      ]);
    const rows = await q;
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const data = rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      actorId: r.actor_id,
      actorLogin: r.actor_login,
      channel: r.channel,
      entity: r.entity,
      recordId: r.record_id,
      action: r.action,
      changes: r.changes && access.strip(r.entity, { ...r.changes }),
    }));
    return c.json({ data, nextCursor: more ? data[data.length - 1].id : null });
  });
  return routes;
}
