import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { entityDependents } from "../../metadata/entity-dependents";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";

const metaAdminOnly = adminOnly("see metadata impact and history, or revert revisions");

/**
 * `GET /api/meta/entities/:name/impact[?field=f]`: what uses the entity or one field (formulas, rollups,
 * references, keys, title field, and registered forms, workflows, permissions, sync mappings), each with the
 * key a change names in `breaks`. Administrators only: the list names roles and workflows.
 */
export function metaImpactRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:name/impact", metaAdminOnly, async (c) => {
    const data = await entityDependents(ctx.db.knex, ctx.dependents, c.req.param("name"), c.req.query("field"));
    return c.json({ data });
  });
  return routes;
}
