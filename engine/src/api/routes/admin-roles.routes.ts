import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { parseRolePermissions, readRolePermissions, replaceRolePermissions } from "../../security/role-permissions";
import { createRole, deleteRole, getRole, listRoles, parseRoleInput, updateRole } from "../../security/roles";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/admin/roles`: roles and their permission rows (entity scopes and field rights). */
export function adminRoleRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  routes.use("*", adminOnly("manage users, departments and roles"));
  routes.get("/", async (c) => c.json({ data: await listRoles(knex) }));
  routes.post("/", async (c) => {
    const role = await createRole(knex, parseRoleInput(await readJsonBody(c), true));
    c.header("location", `/api/admin/roles/${role.id}`);
    return c.json(role, 201);
  });
  routes.get("/:id", async (c) => c.json(await getRole(knex, c.req.param("id"))));
  routes.patch("/:id", async (c) => {
    const input = parseRoleInput(await readJsonBody(c), false);
    return c.json(await updateRole(knex, c.req.param("id"), input));
  });
  routes.delete("/:id", async (c) => {
    await deleteRole(knex, c.req.param("id"));
    return c.body(null, 204);
  });
  routes.get("/:id/permissions", async (c) => {
    const role = await getRole(knex, c.req.param("id"));
    return c.json(await readRolePermissions(knex, role.id));
  });
  routes.put("/:id/permissions", async (c) => {
    const role = await getRole(knex, c.req.param("id"));
    await replaceRolePermissions(knex, role.id, parseRolePermissions(await readJsonBody(c), ctx.registry));
    return c.json(await readRolePermissions(knex, role.id));
  });
  return routes;
}
