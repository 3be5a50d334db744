import { AppError } from "@kehu/core";
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { EngineContext } from "../../engine-context";
import { tokenPrincipal } from "../../security/api-tokens";
import { loadAccess } from "../../security/load-access";
import type { Principal } from "../../security/principal";
import { SESSION_COOKIE, sessionPrincipal } from "../../security/sessions";
import type { AppEnv } from "../app-env";
import { docsAsset, docsPage } from "../openapi/docs-page";
import { ENGINE_VERSION } from "../openapi/engine-version";
import { buildOpenApiDocument } from "../openapi/openapi-document";

/** `GET /api/openapi.json` (generated from the metadata in force) and the browsable docs at `/api/docs`. */
export function openapiRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // The document only changes with the metadata, so it is rebuilt only when an entity's revision changes.
  let cached: { key: string; body: string } | undefined;

  routes.get("/openapi.json", async (c) => {
    const entities = ctx.registry.list();
    const principal = await callerOf(ctx, c);
    // Anonymous callers may use no entity, so their document describes none (no field name leaks).
    if (!principal)
      return c.json(buildOpenApiDocument([], { version: ENGINE_VERSION }), 200, { "cache-control": "no-cache" });
    const access = await loadAccess(ctx, principal);
    if (!access.isAdmin) {
      // Only what the caller may use: entities it may read, without the fields hidden from it.
      const visible = entities
        .filter((e) => access.scopeOf(e.name, "read") !== undefined)
        .map((e) => ({ ...e, fields: e.fields.filter((f) => !access.hidden(e.name).has(f.name)) }));
      return c.json(buildOpenApiDocument(visible, { version: ENGINE_VERSION }), 200, { "cache-control": "no-cache" });
    }
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

/** The document is public, so authentication does not run for it: the caller, if any, is read here. */
async function callerOf(ctx: EngineContext, c: Context<AppEnv>): Promise<Principal | undefined> {
  const set = c.get("principal");
  if (set) return set;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (bearer) return tokenPrincipal(ctx.db.knex, bearer);
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? (await sessionPrincipal(ctx.db.knex, cookie))?.principal : undefined;
}
