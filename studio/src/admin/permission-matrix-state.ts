import type { PermissionAction, PermissionScope, RolePermissions } from "@kehu/client";
import type { Issue } from "@kehu/core";

export const ACTIONS: PermissionAction[] = ["create", "read", "update", "delete"];
export const SCOPE_CHOICES = ["none", "own", "department", "department_tree", "all"] as const;
export type ScopeChoice = (typeof SCOPE_CHOICES)[number];

/** What the matrix editor holds: a scope (or none) per entity and action, and field rights per entity. */
export interface MatrixState {
  scopes: Record<string, Partial<Record<PermissionAction, ScopeChoice>>>;
  fields: Record<string, Record<string, { read: boolean; write: boolean }>>;
}

/** The editor's state of a role's stored permissions. */
export function matrixOf(permissions: RolePermissions): MatrixState {
  return {
    scopes: structuredClone(permissions.entities),
    fields: structuredClone(permissions.fields),
  };
}

/**
 * The PUT body of the matrix: "none" cells and entities without a grant are left out (permissions are
 * allow-lists); a field with full rights needs no rule, so only restricting field rules are sent.
 */
export function permissionBody(state: MatrixState): RolePermissions {
  const entities: RolePermissions["entities"] = {};
  for (const [entity, actions] of Object.entries(state.scopes)) {
    const granted = Object.entries(actions).filter(([, s]) => s && s !== "none") as Array<
      [PermissionAction, PermissionScope]
    >;
    if (granted.length) entities[entity] = Object.fromEntries(granted);
  }
  const fields: RolePermissions["fields"] = {};
  for (const [entity, byField] of Object.entries(state.fields)) {
    const restricted = Object.entries(byField).filter(([, r]) => !r.read || !r.write);
    if (restricted.length)
      fields[entity] = Object.fromEntries(restricted.map(([f, r]) => [f, { read: r.read, write: r.read && r.write }]));
  }
  return { entities, fields };
}

/** The messages of the server's issues that belong to one cell (`/entities/customer/read`) or field rule. */
export function issuesAt(issues: Issue[], path: string): string[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}/`)).map((i) => i.message);
}
