import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";

import {
  ACTIONS,
  type PermissionAction as Action,
  forgetPermissionsVersion,
  SCOPES,
  type Scope,
} from "./permission-model";

/** A role's permission rows, as `PUT /api/admin/roles/:id/permissions` takes and returns them. */
export interface RolePermissions {
  entities: Record<string, Partial<Record<Action, Scope>>>;
  fields: Record<string, Record<string, { read: boolean; write: boolean }>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads and checks a permission body against the entities and fields in the registry, naming every bad path. */
export function parseRolePermissions(body: unknown, registry: MetadataRegistry): RolePermissions {
  if (!isObject(body)) throw new AppError("validation_failed", 'Send {"entities": {...}, "fields": {...}}');
  const issues: Issue[] = [];
  for (const key of Object.keys(body))
    if (key !== "entities" && key !== "fields")
      issues.push({ path: `/${key}`, message: "unknown property; use entities, fields" });
  const entities = body.entities ?? {};
  const fields = body.fields ?? {};
  if (!isObject(entities)) issues.push({ path: "/entities", message: "must be an object keyed by entity name" });
  else
    for (const [entity, actions] of Object.entries(entities)) {
      const path = `/entities/${entity}`;
      if (!registry.get(entity)) issues.push({ path, message: `no entity named "${entity}"` });
      if (!isObject(actions)) {
        issues.push({ path, message: "must be an object of action: scope" });
        continue;
      }
      for (const [action, scope] of Object.entries(actions)) {
        if (!(ACTIONS as readonly string[]).includes(action))
          issues.push({ path: `${path}/${action}`, message: `unknown action; use ${ACTIONS.join(", ")}` });
        else if (!(SCOPES as readonly string[]).includes(scope as string))
          issues.push({ path: `${path}/${action}`, message: `scope must be one of ${SCOPES.join(", ")}` });
      }
    }
  if (!isObject(fields)) issues.push({ path: "/fields", message: "must be an object keyed by entity name" });
  else
    for (const [entity, byField] of Object.entries(fields)) {
      const path = `/fields/${entity}`;
      const definition = registry.get(entity);
      if (!definition) issues.push({ path, message: `no entity named "${entity}"` });
      if (!isObject(byField)) {
        issues.push({ path, message: "must be an object of field: {read, write}" });
        continue;
      }
      const names = new Set(definition?.fields.map((f) => f.name) ?? []);
      for (const [field, rights] of Object.entries(byField)) {
        if (definition && !names.has(field))
          issues.push({ path: `${path}/${field}`, message: `no field "${field}" in ${entity}` });
        if (
          !isObject(rights) ||
          typeof rights.read !== "boolean" ||
          typeof rights.write !== "boolean" ||
          Object.keys(rights).length !== 2
        )
          issues.push({ path: `${path}/${field}`, message: "must be {read: boolean, write: boolean}" });
      }
    }
  if (issues.length) throw new AppError("validation_failed", "The permissions are not valid", issues);
  return { entities, fields } as RolePermissions;
}

/** Replaces every permission row of a role with the given ones, in one transaction. */
export async function replaceRolePermissions(knex: Knex, roleId: string, permissions: RolePermissions): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx("kehu.role_permissions").where({ role_id: roleId }).delete();
    await trx("kehu.field_permissions").where({ role_id: roleId }).delete();
    const rows = Object.entries(permissions.entities).flatMap(([entity, actions]) =>
      Object.entries(actions).map(([action, scope]) => ({ role_id: roleId, entity, action, scope })),
    );
    if (rows.length) await trx("kehu.role_permissions").insert(rows);
    const fieldRows = Object.entries(permissions.fields).flatMap(([entity, byField]) =>
      Object.entries(byField).map(([field, r]) => ({
        role_id: roleId,
        entity,
        field,
        can_read: r.read,
        can_write: r.write,
      })),
    );
    if (fieldRows.length) await trx("kehu.field_permissions").insert(fieldRows);
  });
  forgetPermissionsVersion();
}

/** A role's permission rows in the shape of the PUT body. */
export async function readRolePermissions(knex: Knex, roleId: string): Promise<RolePermissions> {
  const result: RolePermissions = { entities: {}, fields: {} };
  const rows = await knex("kehu.role_permissions").where({ role_id: roleId }).orderBy(["entity", "action"]);
  for (const r of rows) result.entities[r.entity] = { ...result.entities[r.entity], [r.action as Action]: r.scope };
  const fieldRows = await knex("kehu.field_permissions").where({ role_id: roleId }).orderBy(["entity", "field"]);
  for (const r of fieldRows)
    result.fields[r.entity] = { ...result.fields[r.entity], [r.field]: { read: r.can_read, write: r.can_write } };
  return result;
}
