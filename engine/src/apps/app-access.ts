import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";
import { parse } from "yaml";
import type { EngineContext } from "../engine-context";
import { createDepartment, updateDepartment } from "../security/departments";
import { forgetPermissionsVersion } from "../security/permission-model";
import { parseRolePermissions, replaceRolePermissions } from "../security/role-permissions";
import { createRole, updateRole } from "../security/roles";

/** A department of an app's organisation (`departments.yaml`): a tree keyed by stable codes. */
export interface DepartmentSpec {
  code: string;
  name: string;
  children?: DepartmentSpec[];
}

/** A role file (`roles/<name>.role.yaml`): entity scopes per action and field rules, as the admin API takes them. */
export interface RoleSpec {
  file: string;
  name: string;
  label?: Record<string, string>;
  description?: string;
  permissions?: Record<string, unknown>;
  fields?: Record<string, unknown>;
}

export interface AppAccess {
  departments: DepartmentSpec[];
  roles: RoleSpec[];
}

const ROLE_FILE = /^([a-z][a-z0-9_]*)\.role\.ya?ml$/;

/** Reads `departments.yaml` and `roles/*.role.yaml` of an app folder (both optional). */
export function readAppAccess(dir: string): AppAccess {
  const departmentsFile = join(dir, "departments.yaml");
  const departments = existsSync(departmentsFile) ? (readYaml(departmentsFile, "departments.yaml") ?? []) : [];
  if (!Array.isArray(departments)) throw new AppError("validation_failed", "departments.yaml: must be a list");
  const rolesDir = join(dir, "roles");
  const roles: RoleSpec[] = existsSync(rolesDir)
    ? readdirSync(rolesDir)
        .filter((f) => ROLE_FILE.test(f))
        .sort()
        .map((f) => ({
          file: `roles/${f}`,
          name: (ROLE_FILE.exec(f) as RegExpExecArray)[1],
          ...readYaml(join(rolesDir, f), `roles/${f}`),
        }))
    : [];
  return { departments, roles };
}

function readYaml(path: string, shown: string) {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new AppError("validation_failed", `${shown}: ${(e as Error).message}`);
  }
}

const ROLE_KEYS = new Set(["file", "name", "label", "description", "permissions", "fields"]);

/**
 * Creates or updates an app's departments (by code) and roles (by name, with their permissions replaced), in one
 * transaction; applying the same files again changes nothing. Every problem of every file is reported together.
 */
export async function installAppAccess(
  ctx: EngineContext,
  access: AppAccess,
): Promise<{ departments: number; roles: number }> {
  const issues: Issue[] = [];
  for (const role of access.roles)
    for (const key of Object.keys(role))
      if (!ROLE_KEYS.has(key))
        issues.push({
          path: `${role.file}/${key}`,
          message: "unknown key; use label, description, permissions, fields",
        });
  const permissions = access.roles.map((role) => {
    try {
      return parseRolePermissions({ entities: role.permissions ?? {}, fields: role.fields ?? {} }, ctx.registry);
    } catch (e) {
      const found = (e as AppError).issues ?? [{ path: "", message: (e as Error).message }];
      issues.push(
        ...found.map((i) => ({
          path: `${role.file}${i.path.replace(/^\/entities/, "/permissions")}`,
          message: i.message,
        })),
      );
      return undefined;
    }
  });
  if (issues.length) throw new AppError("validation_failed", `${issues.length} problem(s) in the app's roles`, issues);
  const installed = await ctx.db.knex.transaction(async (trx) => {
    let departments = 0;
    const walk = async (nodes: DepartmentSpec[], parentId: string | null, path: string) => {
      for (const [i, node] of nodes.entries()) {
        if (!node?.code || !node.name)
          throw new AppError("validation_failed", `departments.yaml${path}/${i}: needs a code and a name`);
        const id = await upsertDepartment(trx, node, parentId);
        departments++;
        await walk(node.children ?? [], id, `${path}/${i}/children`);
      }
    };
    await walk(access.departments, null, "");
    for (const [i, role] of access.roles.entries()) {
      const input = { label: role.label ?? null, description: role.description ?? null };
      const existing = await trx("kehu.roles").where({ name: role.name }).first("id");
      const { id } = existing
        ? await updateRole(trx, existing.id, input)
        : await createRole(trx, { name: role.name, ...input });
      await replaceRolePermissions(trx, id, permissions[i] as NonNullable<(typeof permissions)[number]>);
    }
    return { departments, roles: access.roles.length };
  });
  forgetPermissionsVersion();
  return installed;
}

async function upsertDepartment(trx: Knex, node: DepartmentSpec, parentId: string | null): Promise<string> {
  const existing = await trx("kehu.departments").where({ code: node.code }).first("id");
  const input = { name: node.name, code: node.code, parentId };
  return (existing ? await updateDepartment(trx, existing.id, input) : await createDepartment(trx, input)).id;
}
