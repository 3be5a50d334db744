import type { EngineContext } from "../engine-context";
import { createApiToken } from "../security/api-tokens";
import { createDepartment } from "../security/departments";
import { parseRolePermissions, type RolePermissions, replaceRolePermissions } from "../security/role-permissions";
import { createRole } from "../security/roles";
import { createUser } from "../security/users";

/** Creates a user directly in the database, with an API token of write access to every entity. */
export async function createTestUser(
  ctx: EngineContext,
  options: { login: string; isAdmin?: boolean; departmentId?: string | null; roleIds?: string[]; password?: string },
): Promise<{ id: string; login: string; token: string }> {
  const user = await createUser(ctx.db.knex, {
    login: options.login,
    isAdmin: options.isAdmin ?? false,
    departmentId: options.departmentId ?? null,
    roleIds: options.roleIds ?? [],
    password: options.password,
  });
  const { token } = await createApiToken(ctx.db.knex, user.id, { name: "test", access: "write", entities: null });
  return { id: user.id, login: user.login, token };
}

export async function createTestDepartment(
  ctx: EngineContext,
  options: { name: string; parentId?: string | null; code?: string },
): Promise<{ id: string }> {
  const { id } = await createDepartment(ctx.db.knex, {
    name: options.name,
    parentId: options.parentId ?? null,
    code: options.code ?? null,
  });
  return { id };
}

/** Creates a role with permission rows in the shape of `PUT /api/admin/roles/:id/permissions` (checked the same way). */
export async function createTestRole(
  ctx: EngineContext,
  options: { name: string; permissions?: RolePermissions["entities"]; fields?: RolePermissions["fields"] },
): Promise<{ id: string }> {
  const permissions = parseRolePermissions(
    { entities: options.permissions ?? {}, fields: options.fields ?? {} },
    ctx.registry,
  );
  const { id } = await createRole(ctx.db.knex, { name: options.name });
  await replaceRolePermissions(ctx.db.knex, id, permissions);
  return { id };
}
