import { AppError, isUuid } from "@kehu/core";
import type { Knex } from "knex";
import { InputReader } from "./admin-input";
import { forgetPermissionsVersion } from "./permission-model";
import { forgetCachedPrincipals } from "./principal-cache";

export interface Role {
  id: string;
  name: string;
  label: Record<string, string> | null;
  description: string | null;
}

export interface RoleInput {
  name?: string;
  label?: Record<string, string> | null;
  description?: string | null;
}

/** Reads `{name, label?, description?}`, naming every bad field. */
export function parseRoleInput(body: unknown, creating: boolean): RoleInput {
  const r = new InputReader(body, ["name", "label", "description"], "the role");
  const input: RoleInput = {
    name: r.text("name", { required: creating, max: 100 }),
    description: r.nullableText("description", { max: 2000 }),
  };
  const label = r.raw("label");
  if (label === null) input.label = null;
  else if (label !== undefined) {
    const ok =
      typeof label === "object" && !Array.isArray(label) && Object.values(label).every((v) => typeof v === "string");
    if (ok) input.label = label as Record<string, string>;
    else r.issues.push({ path: "/label", message: 'must be an object of locale: text, e.g. {"en": "Sales"}' });
  }
  r.done("The role is not valid");
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

const of = (row: Record<string, unknown>): Role => ({
  id: row.id as string,
  name: row.name as string,
  label: (row.label as Record<string, string> | null) ?? null,
  description: (row.description as string | null) ?? null,
});

export async function listRoles(knex: Knex): Promise<Role[]> {
  return (await knex("kehu.roles").orderBy("name")).map(of);
}

export async function getRole(knex: Knex, id: string): Promise<Role> {
  const row = isUuid(id) ? await knex("kehu.roles").where({ id }).first() : undefined;
  if (!row) throw new AppError("not_found", `No role ${id}`);
  return of(row);
}

export async function createRole(knex: Knex, input: RoleInput): Promise<Role> {
  await checkName(knex, undefined, input.name);
  const [row] = await knex("kehu.roles")
    .insert({
      name: input.name,
      label: input.label ? JSON.stringify(input.label) : null,
      description: input.description ?? null,
    })
    .returning("*");
  return of(row);
}

export async function updateRole(knex: Knex, id: string, input: RoleInput): Promise<Role> {
  await getRole(knex, id);
  await checkName(knex, id, input.name);
  const patch: Record<string, unknown> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.label !== undefined) patch.label = input.label ? JSON.stringify(input.label) : null;
  if (input.description !== undefined) patch.description = input.description;
  if (Object.keys(patch).length) await knex("kehu.roles").where({ id }).update(patch);
  return getRole(knex, id);
}

/** Deletes a role; its grants and memberships go with it. */
export async function deleteRole(knex: Knex, id: string): Promise<void> {
  await getRole(knex, id);
  await knex("kehu.roles").where({ id }).delete();
  forgetCachedPrincipals();
  forgetPermissionsVersion();
}

async function checkName(knex: Knex, id: string | undefined, name: string | undefined) {
  if (!name) return;
  const other = await knex("kehu.roles").where({ name }).first("id");
  if (other && other.id !== id)
    throw new AppError("conflict", `The role name "${name}" is taken`, [{ path: "/name", message: "is taken" }]);
}
