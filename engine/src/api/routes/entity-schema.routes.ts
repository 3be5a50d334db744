import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { type RecordSchemaKind, recordJsonSchema } from "../../records/record-schema";
import { loadAccess } from "../../security/load-access";
import type { AppEnv } from "../app-env";

const KINDS: readonly RecordSchemaKind[] = ["create", "patch", "read"];

/** `GET /api/meta/entities/:name/schema?kind=create|patch|read`: the JSON Schema the record API validates with,
 * as the caller may use it (hidden fields left out, read-only ones marked). */
export function entitySchemaRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:name/schema", async (c) => {
    const access = await loadAccess(ctx, c.get("principal"));
    if (!access.canUse(c.req.param("name")))
      throw new AppError("unknown_entity", `No entity named "${c.req.param("name")}"`);
    const stored = ctx.registry.require(c.req.param("name"));
    // A hidden field is not in the caller's schema at all; a read-only one is marked so forms show it disabled.
    const hidden = access.hidden(stored.name);
    const entity = { ...stored, fields: stored.fields.filter((f) => !hidden.has(f.name)) };
    const readOnly = access.readOnly(stored.name);
    const kind = (c.req.query("kind") ?? "create") as RecordSchemaKind;
    if (!KINDS.includes(kind))
      throw new AppError("bad_request", `kind must be one of ${KINDS.join(", ")}`, [
        { path: "/kind", message: "unknown schema kind" },
      ]);
    const schema = recordJsonSchema(entity, kind);
    const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
    for (const name of readOnly) if (properties?.[name]) properties[name] = { ...properties[name], readOnly: true };
    return c.json(
      { $id: `${new URL(c.req.url).origin}/api/meta/entities/${entity.name}/schema?kind=${kind}`, ...schema },
      200,
      { "content-type": "application/schema+json" },
    );
  });
  return routes;
}
