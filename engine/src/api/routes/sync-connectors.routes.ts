import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";

/** `/api/sync/connectors`: the connectors this engine has, with the JSON Schema of a connection's config (`spec`). */
export function syncConnectorRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/", (c) =>
    c.json({
      data: [...(ctx.connectors?.values() ?? [])].map(({ spec }) => ({
        name: spec.name,
        label: spec.label,
        version: spec.version,
        config: spec.config,
      })),
    }),
  );
  return routes;
}
