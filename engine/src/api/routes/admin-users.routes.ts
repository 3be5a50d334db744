import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { createUser, getUser, listUsers, parseUserInput, updateUser } from "../../security/users";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/admin/users`: list, create, read and change users (a password is set, never shown; `active: false` deactivates). */
export function adminUserRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  routes.use("*", adminOnly("manage users, departments and roles"));
  routes.get("/", async (c) => c.json({ data: await listUsers(knex) }));
  routes.post("/", async (c) => {
    const user = await createUser(knex, parseUserInput(await readJsonBody(c), true));
    c.header("location", `/api/admin/users/${user.id}`);
    return c.json(user, 201);
  });
  routes.get("/:id", async (c) => c.json(await getUser(knex, c.req.param("id"))));
  routes.patch("/:id", async (c) => {
    const input = parseUserInput(await readJsonBody(c), false);
    return c.json(await updateUser(knex, c.req.param("id"), input));
  });
  routes.delete("/:id", async (c) => c.json(await updateUser(knex, c.req.param("id"), { active: false })));
  return routes;
}
