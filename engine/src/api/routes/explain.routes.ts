import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { explainAccess } from "../../security/permission-explainer";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";

/** `GET /api/admin/explain?user=U&entity=E&id=R[&field=F]` (admins only): why U may or may not read and update R. */
export function explainRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/explain", async (c) => {
    if (!(c.get("principal") ?? SYSTEM_PRINCIPAL).isAdmin)
      throw new AppError("forbidden", "Only administrators may explain permissions");
    const { user, entity, id, field } = c.req.query();
    const missing = (["user", "entity", "id"] as const).filter((k) => !c.req.query(k));
    if (missing.length)
      throw new AppError(
        "bad_request",
        `Missing ${missing.join(", ")}`,
        missing.map((k) => ({ path: `/${k}`, message: "is required" })),
      );
    return c.json(await explainAccess(ctx.db.knex, ctx.registry.require(entity), { user, id, field }));
  });
  return routes;
}
