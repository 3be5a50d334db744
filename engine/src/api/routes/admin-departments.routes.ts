import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import {
  createDepartment,
  deleteDepartment,
  departmentTree,
  getDepartment,
  parseDepartmentInput,
  updateDepartment,
} from "../../security/departments";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/admin/departments`: the department tree; create, rename, move (cycles refused), delete when empty. */
export function adminDepartmentRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  routes.use("*", adminOnly("manage users, departments and roles"));
  routes.get("/", async (c) => c.json({ data: await departmentTree(knex) }));
  routes.post("/", async (c) => {
    const department = await createDepartment(knex, parseDepartmentInput(await readJsonBody(c), true));
    c.header("location", `/api/admin/departments/${department.id}`);
    return c.json(department, 201);
  });
  routes.get("/:id", async (c) => c.json(await getDepartment(knex, c.req.param("id"))));
  routes.patch("/:id", async (c) => {
    const input = parseDepartmentInput(await readJsonBody(c), false);
    return c.json(await updateDepartment(knex, c.req.param("id"), input));
  });
  routes.delete("/:id", async (c) => {
    await deleteDepartment(knex, c.req.param("id"));
    return c.body(null, 204);
  });
  return routes;
}
