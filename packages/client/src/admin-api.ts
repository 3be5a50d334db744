import type {
  AdminRole,
  AdminUser,
  AdminUserInput,
  DepartmentInput,
  DepartmentNode,
  Explanation,
  OwnershipTransferInput,
  RoleInput,
  RolePermissions,
} from "./admin-types";

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const enc = encodeURIComponent;

/** The admin API (`/api/admin/...`): users, departments, roles and permissions, the explainer, ownership. */
export function adminApi(request: Request) {
  const list = async <T>(path: string) => (await request<{ data: T[] }>("GET", path)).data;
  return {
    users: {
      list: () => list<AdminUser>("/api/admin/users"),
      get: (id: string) => request<AdminUser>("GET", `/api/admin/users/${enc(id)}`),
      create: (input: AdminUserInput) => request<AdminUser>("POST", "/api/admin/users", input),
      update: (id: string, input: AdminUserInput) => request<AdminUser>("PATCH", `/api/admin/users/${enc(id)}`, input),
      deactivate: (id: string) => request<AdminUser>("DELETE", `/api/admin/users/${enc(id)}`),
    },
    departments: {
      tree: () => list<DepartmentNode>("/api/admin/departments"),
      create: (input: DepartmentInput) => request<DepartmentNode>("POST", "/api/admin/departments", input),
      update: (id: string, input: DepartmentInput) =>
        request<DepartmentNode>("PATCH", `/api/admin/departments/${enc(id)}`, input),
      remove: (id: string) => request<void>("DELETE", `/api/admin/departments/${enc(id)}`),
    },
    roles: {
      list: () => list<AdminRole>("/api/admin/roles"),
      create: (input: RoleInput) => request<AdminRole>("POST", "/api/admin/roles", input),
      update: (id: string, input: RoleInput) => request<AdminRole>("PATCH", `/api/admin/roles/${enc(id)}`, input),
      remove: (id: string) => request<void>("DELETE", `/api/admin/roles/${enc(id)}`),
      permissions: (id: string) => request<RolePermissions>("GET", `/api/admin/roles/${enc(id)}/permissions`),
      setPermissions: (id: string, permissions: RolePermissions) =>
        request<RolePermissions>("PUT", `/api/admin/roles/${enc(id)}/permissions`, permissions),
    },
    /** Why `user` (id or login) may or may not read and update one record (and one field of it). */
    explain: (q: { user: string; entity: string; id: string; field?: string }) => {
      const params = new URLSearchParams({ user: q.user, entity: q.entity, id: q.id });
      if (q.field) params.set("field", q.field);
      return request<Explanation>("GET", `/api/admin/explain?${params}`);
    },
    transferOwnership: (input: OwnershipTransferInput) =>
      request<{ transferred: number }>("POST", "/api/admin/ownership/transfer", input),
  };
}
