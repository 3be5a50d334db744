import type { AdminRole, AdminUser, AdminUserInput, DepartmentNode } from "@kehu/client";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { flattenDepartments } from "./department-options";
import { useReloadingRun } from "./use-reloading-run";
import { UserForm } from "./user-form";

/** Users: list, create, edit, deactivate and reactivate. */
export function UsersPanel() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [roles, setRoles] = useState<AdminRole[]>([]);
  const [departments, setDepartments] = useState<DepartmentNode[]>([]);
  const [editing, setEditing] = useState<AdminUser | "new" | null>(null);
  const { error, run: runAndReload } = useReloadingRun(
    useCallback(async () => {
      const [u, r, d] = await Promise.all([
        kehu.admin.users.list(),
        kehu.admin.roles.list(),
        kehu.admin.departments.tree(),
      ]);
      setUsers(u);
      setRoles(r);
      setDepartments(d);
    }, []),
  );
  const departmentName = new Map(flattenDepartments(departments).map(({ node }) => [node.id, node.name]));
  const roleName = new Map(roles.map((r) => [r.id, r.name]));

  const run = (action: () => Promise<unknown>) =>
    runAndReload(async () => {
      await action();
      setEditing(null);
    });
  const save = (input: AdminUserInput) =>
    run(() =>
      editing === "new" || !editing ? kehu.admin.users.create(input) : kehu.admin.users.update(editing.id, input),
    );

  return (
    <div>
      <ErrorBanner error={error} />
      {editing ? (
        <UserForm
          key={editing === "new" ? "new" : editing.id}
          user={editing === "new" ? undefined : editing}
          roles={roles}
          departments={departments}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" className="primary" onClick={() => setEditing("new")}>
          {t("admin.users.create")}
        </button>
      )}
      <table className="grid">
        <thead>
          <tr>
            <th>{t("admin.users.login")}</th>
            <th>{t("admin.users.displayName")}</th>
            <th>{t("admin.users.department")}</th>
            <th>{t("admin.users.roles")}</th>
            <th>{t("admin.users.status")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-user={u.login}>
              <td>{u.login}</td>
              <td>{u.displayName}</td>
              <td>{(u.departmentId && departmentName.get(u.departmentId)) ?? ""}</td>
              <td>
                {[u.isAdmin ? t("admin.users.isAdmin") : null, ...u.roleIds.map((id) => roleName.get(id) ?? id)]
                  .filter(Boolean)
                  .join(", ")}
              </td>
              <td>{u.active ? t("admin.users.active") : t("admin.users.inactive")}</td>
              <td className="actions">
                <button type="button" onClick={() => setEditing(u)}>
                  {t("admin.edit")}
                </button>
                {u.active ? (
                  <button type="button" className="danger" onClick={() => run(() => kehu.admin.users.deactivate(u.id))}>
                    {t("admin.users.deactivate")}
                  </button>
                ) : (
                  <button type="button" onClick={() => run(() => kehu.admin.users.update(u.id, { active: true }))}>
                    {t("admin.users.activate")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
