import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";
import { docsAsset, docsPage } from "../openapi/docs-page";
import { ENGINE_VERSION } from "../openapi/engine-version";
import { buildOpenApiDocument } from "../openapi/openapi-document";

/** `GET /api/openapi.json` (generated from the metadata in force) and the browsable docs at `/api/docs`. */
export function openapiRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // The document only changes with the metadata, so it is rebuilt only when an entity's revision changes.
  let cached: { key: string; body: string } | undefined;

  routes.get("/openapi.json", (c) => {
    const entities = ctx.registry.list();
    const key = entities.map((e) => `${e.name}@${ctx.registry.revision(e.name)}`).join(",");
    if (cached?.key !== key)
      cached = { key, body: JSON.stringify(buildOpenApiDocument(entities, { version: ENGINE_VERSION })) };
    return c.body(cached.body, 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
  });

  routes.get("/docs", (c) => c.html(docsPage("/api/openapi.json", "/api/docs/assets")));

  routes.get("/docs/assets/:file", async (c) => {
    const asset = await docsAsset(c.req.param("file"));
    if (!asset) throw new AppError("not_found", `No docs asset named "${c.req.param("file")}"`);
    return c.body(asset.body, 200, { "content-type": asset.contentType, "cache-control": "public, max-age=86400" });
  });

  return routes;
}
