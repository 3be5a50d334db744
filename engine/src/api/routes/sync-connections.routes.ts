import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import {
  checkConnection,
  connectionView,
  deleteConnection,
  findConnection,
  listConnections,
  requireConnection,
  saveConnection,
} from "../../sync/connection-store";
import { syncServicesOf } from "../../sync/sync-services";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/sync/connections`: connections to external systems; secrets are write-only (shown as `********`). */
export function syncConnectionRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const services = () => syncServicesOf(ctx);

  routes.get("/", async (c) => c.json({ data: await listConnections(services()) }));

  routes.post("/", async (c) => {
    const body = (await readJsonBody(c)) as { name?: unknown };
    if (typeof body?.name === "string" && (await findConnection(ctx.db.knex, body.name)))
      throw new AppError(
        "conflict",
        `A connection "${body.name}" exists; PUT /api/sync/connections/${body.name} changes it`,
        [{ path: "/name", message: "is taken" }],
      );
    const view = await saveConnection(services(), body);
    c.header("location", `/api/sync/connections/${view.name}`);
    return c.json(view, 201);
  });

  routes.get("/:name", async (c) => {
    const row = await requireConnection(ctx.db.knex, c.req.param("name"));
    return c.json(await connectionView(ctx.db.knex, services(), row));
  });

  routes.put("/:name", async (c) => {
    await requireConnection(ctx.db.knex, c.req.param("name"));
    const body = await readJsonBody(c);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError("validation_failed", "Send the connection as a JSON object");
    return c.json(await saveConnection(services(), { ...body, name: c.req.param("name") }));
  });

  routes.delete("/:name", async (c) => {
    await deleteConnection(ctx.db.knex, ctx.db.backend, c.req.param("name"), c.get("actor"));
    return c.body(null, 204);
  });

  routes.post("/:name/check", async (c) => c.json(await checkConnection(services(), c.req.param("name"))));
  return routes;
}
