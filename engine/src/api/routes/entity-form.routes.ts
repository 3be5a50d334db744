import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { resolveForm } from "../../forms/resolve-form";
import { loadAccess } from "../../security/load-access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";

/** `GET /api/meta/entities/:name/form`: the caller's form (their role's, else the default; `{form: null}` when the
 * entity has none), without the fields they may not see. */
export function entityFormRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:name/form", async (c) => {
    const name = c.req.param("name");
    const principal = c.get("principal") ?? SYSTEM_PRINCIPAL;
    const access = await loadAccess(ctx, principal);
    if (!ctx.registry.has(name) || access.scopeOf(name, "read") === undefined)
      throw new AppError("unknown_entity", `No entity named "${name}"`);
    return c.json({ form: await resolveForm(ctx.db.knex, name, principal, access.hidden(name)) });
  });
  return routes;
}
