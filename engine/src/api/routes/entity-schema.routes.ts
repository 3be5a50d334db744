import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { type RecordSchemaKind, recordJsonSchema } from "../../records/record-schema";
import { Access } from "../../security/access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";

const KINDS: readonly RecordSchemaKind[] = ["create", "patch", "read"];

/** `GET /api/meta/entities/:name/schema?kind=create|patch|read`: the JSON Schema the record API validates with. */
export function entitySchemaRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:name/schema", async (c) => {
    const access = await Access.load(ctx.db.knex, c.get("principal") ?? SYSTEM_PRINCIPAL);
    if (!access.canUse(c.req.param("name")))
      throw new AppError("unknown_entity", `No entity named "${c.req.param("name")}"`);
    const entity = ctx.registry.require(c.req.param("name"));
    const kind = (c.req.query("kind") ?? "create") as RecordSchemaKind;
    if (!KINDS.includes(kind))
      throw new AppError("bad_request", `kind must be one of ${KINDS.join(", ")}`, [
        { path: "/kind", message: "unknown schema kind" },
      ]);
    return c.json(
      {
        $id: `${new URL(c.req.url).origin}/api/meta/entities/${entity.name}/schema?kind=${kind}`,
        ...recordJsonSchema(entity, kind),
      },
      200,
      { "content-type": "application/schema+json" },
    );
  });
  return routes;
}
