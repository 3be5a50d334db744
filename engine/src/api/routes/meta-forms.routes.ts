import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { deleteForm, getForm, listForms, saveForm } from "../../forms/form-store";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/**
 * `/api/meta/forms`: form definitions per entity and role, for administrators. `PUT /:entity/:name` creates or
 * replaces one (`?dryRun=1` checks only); problems point into the body (`/sections/0/fields/2/widget`).
 */
export function metaFormRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use("*", async (c, next) => {
    if (!(c.get("principal") ?? SYSTEM_PRINCIPAL).isAdmin)
      throw new AppError("forbidden", "Only administrators may read or change form definitions");
    await next();
  });

  routes.get("/", async (c) => {
    const entity = c.req.query("entity");
    return c.json({ data: await listForms(ctx.db.knex, entity || undefined) });
  });

  routes.get("/:entity/:name", async (c) => {
    const { entity, name } = c.req.param();
    const form = await getForm(ctx.db.knex, entity, name);
    if (!form) throw new AppError("not_found", `${entity} has no form named "${name}"`);
    return c.json(form);
  });

  routes.put("/:entity/:name", async (c) => {
    const { entity, name } = c.req.param();
    const body = await readJsonBody(c);
    const sent = body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
    for (const [key, value] of [
      ["entity", entity],
      ["name", name],
    ] as const)
      if (sent && sent[key] !== undefined && sent[key] !== value)
        throw new AppError("validation_failed", `The body names another ${key} than the path`, [
          { path: `/${key}`, message: `must be "${value}", as in the path` },
        ]);
    const input = sent ? { ...sent, entity, name } : body;
    const dryRun = ["1", "true"].includes(c.req.query("dryRun") ?? "");
    const result = await saveForm(ctx, input, { actor: c.get("actor"), dryRun });
    return c.json(result, result.created && !dryRun ? 201 : 200);
  });

  routes.delete("/:entity/:name", async (c) => {
    const { entity, name } = c.req.param();
    await deleteForm(ctx.db.knex, entity, name);
    return c.body(null, 204);
  });
  return routes;
}
