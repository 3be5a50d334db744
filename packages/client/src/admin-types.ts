import type { UserView } from "@kehu/schema";
/** A user as the admin API returns it (the password is never returned). */
export type AdminUser = UserView;

export interface AdminUserInput {
  login?: string;
  displayName?: string;
  email?: string | null;
  locale?: string;
  active?: boolean;
  isAdmin?: boolean;
  departmentId?: string | null;
  roleIds?: string[];
  password?: string;
}

export interface DepartmentNode {
  id: string;
  name: string;
  code: string | null;
  parentId: string | null;
  children: DepartmentNode[];
}

export interface DepartmentInput {
  name?: string;
  code?: string | null;
  parentId?: string | null;
}

export interface AdminRole {
  id: string;
  name: string;
  label: Record<string, string> | null;
  description: string | null;
}

export type RoleInput = Partial<Omit<AdminRole, "id">>;

export type PermissionAction = "create" | "read" | "update" | "delete";
export type PermissionScope = "own" | "department" | "department_tree" | "all";

/** A role's permission rows, as `PUT /api/admin/roles/:id/permissions` takes and returns them. */
export interface RolePermissions {
  entities: Record<string, Partial<Record<PermissionAction, PermissionScope>>>;
  fields: Record<string, Record<string, { read: boolean; write: boolean }>>;
}

/** One rule that took part in a permission decision. */
export interface ExplainStep {
  rule: "admin" | "role_scope" | "no_grant" | "record" | "field";
  role?: string;
  scope?: PermissionScope;
  field?: string;
  matches: boolean;
  detail: string;
}

export interface ExplainDecision {
  allowed: boolean;
  chain: ExplainStep[];
}

/** Why a user may or may not read and update one record. */
export interface Explanation {
  user: { id: string; login: string; isAdmin: boolean; departmentId: string | null };
  entity: string;
  id: string;
  field?: string;
  read: ExplainDecision;
  update: ExplainDecision;
}

export interface OwnershipTransferInput {
  entity: string;
  from?: string;
  filter?: unknown;
  toUser: string;
  toDepartment?: string | null;
}

/** One of the caller's API tokens; the secret is only in the answer that created it. */
export interface ApiToken {
  id: string;
  name: string;
  access: "read" | "write";
  entities: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
