import { AppError, isUuid } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { InputReader } from "../../security/admin-input";
import { transferOwnership } from "../../security/ownership-transfer";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

const FIELDS = ["entity", "from", "filter", "toUser", "toDepartment"] as const;

/**
 * `POST /api/admin/ownership/transfer {entity, from?, filter?, toUser, toDepartment?}` (admins only): reassigns the
 * matching records in one transaction, one audit row each; answers `{transferred: n}`.
 */
export function ownershipRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/ownership/transfer", async (c) => {
    const principal = c.get("principal") ?? SYSTEM_PRINCIPAL;
    if (!principal.isAdmin) throw new AppError("forbidden", "Only administrators may transfer ownership");
    const body = (await readJsonBody(c)) as Record<string, unknown>;
    const input = new InputReader(body, FIELDS, "the transfer");
    const entityName = input.text("entity", { required: true });
    for (const key of ["from", "toUser", "toDepartment"] as const) {
      const v = body[key];
      const optional = key !== "toUser" && v === undefined;
      const nullable = key === "toDepartment" && v === null;
      if (!optional && !nullable && !isUuid(v)) input.issues.push({ path: `/${key}`, message: "must be an id" });
    }
    if (input.issues.length) throw new AppError("validation_failed", "The transfer is not valid", input.issues);
    const entity = ctx.registry.require(entityName!);
    const result = await transferOwnership(
      ctx.db.knex,
      entity,
      {
        from: body.from as string | undefined,
        filter: body.filter,
        toUser: body.toUser as string,
        toDepartment: body.toDepartment as string | null | undefined,
      },
      principal,
    );
    return c.json(result);
  });
  return routes;
}
