import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { deleteMapping, getMapping, listMappings, saveMapping } from "../../sync/mapping-store";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/sync/mappings`: stream ⇄ entity mappings, validated against the entity and the connection's streams. */
export function syncMappingRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) =>
    c.json({ data: await listMappings(ctx.db.knex, { connection: c.req.query("connection") }) }),
  );

  routes.post("/", async (c) => {
    const body = (await readJsonBody(c)) as { name?: unknown };
    if (typeof body?.name === "string" && (await ctx.db.knex("kehu.sync_mappings").where({ name: body.name }).first()))
      throw new AppError(
        "conflict",
        `A mapping "${body.name}" exists; PUT /api/sync/mappings/${body.name} changes it`,
        [{ path: "/name", message: "is taken" }],
      );
    const mapping = await saveMapping(ctx.db.knex, ctx.registry, body);
    c.header("location", `/api/sync/mappings/${mapping.name}`);
    return c.json(mapping, 201);
  });

  routes.get("/:name", async (c) => c.json(await getMapping(ctx.db.knex, c.req.param("name"))));

  routes.put("/:name", async (c) => {
    await getMapping(ctx.db.knex, c.req.param("name"));
    const body = await readJsonBody(c);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError("validation_failed", "Send the mapping as a JSON object");
    return c.json(await saveMapping(ctx.db.knex, ctx.registry, { ...body, name: c.req.param("name") }));
  });

  routes.delete("/:name", async (c) => {
    await deleteMapping(ctx.db.knex, c.req.param("name"));
    return c.body(null, 204);
  });
  return routes;
}
