import type { AdminRole, AdminUser, AdminUserInput, DepartmentNode } from "@kehu/client";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LOCALES } from "../i18n/i18n";
import { flattenDepartments } from "./department-options";

/** Creates a user (`user` undefined) or edits one; an empty password leaves the password unchanged. */
export function UserForm(props: {
  user?: AdminUser;
  roles: AdminRole[];
  departments: DepartmentNode[];
  onSave: (input: AdminUserInput) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const u = props.user;
  const [v, setV] = useState({
    login: u?.login ?? "",
    displayName: u?.displayName ?? "",
    email: u?.email ?? "",
    locale: u?.locale ?? "zh-CN",
    departmentId: u?.departmentId ?? "",
    roleIds: u?.roleIds ?? [],
    isAdmin: u?.isAdmin ?? false,
    password: "",
  });
  const set = (patch: Partial<typeof v>) => setV({ ...v, ...patch });
  const submit = () =>
    props.onSave({
      login: v.login.trim(),
      displayName: v.displayName.trim() || v.login.trim(),
      email: v.email.trim() || null,
      locale: v.locale,
      departmentId: v.departmentId || null,
      roleIds: v.roleIds,
      isAdmin: v.isAdmin,
      ...(v.password ? { password: v.password } : {}),
    });
  const text = (key: "login" | "displayName" | "email" | "password", type = "text") => (
    <label>
      {t(`admin.users.${key}`)}
      <input type={type} name={`user-${key}`} value={v[key]} onChange={(e) => set({ [key]: e.target.value })} />
    </label>
  );
  return (
    <form
      className="admin-form"
      data-testid="user-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {text("login")}
      {text("displayName")}
      {text("email", "email")}
      <label>
        {t("admin.users.locale")}
        <select name="user-locale" value={v.locale} onChange={(e) => set({ locale: e.target.value })}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {t(`shell.locales.${l}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("admin.users.department")}
        <select name="user-department" value={v.departmentId} onChange={(e) => set({ departmentId: e.target.value })}>
          <option value="">{t("admin.users.noDepartment")}</option>
          {flattenDepartments(props.departments).map(({ node, depth }) => (
            <option key={node.id} value={node.id}>
              {`${"\u00a0\u00a0".repeat(depth)}${node.name}`}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t("admin.users.roles")}</legend>
        {props.roles.map((r) => (
          <label key={r.id} className="check">
            <input
              type="checkbox"
              name={`user-role-${r.name}`}
              checked={v.roleIds.includes(r.id)}
              onChange={(e) =>
                set({ roleIds: e.target.checked ? [...v.roleIds, r.id] : v.roleIds.filter((id) => id !== r.id) })
              }
            />{" "}
            {r.name}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          name="user-isAdmin"
          checked={v.isAdmin}
          onChange={(e) => set({ isAdmin: e.target.checked })}
        />{" "}
        {t("admin.users.isAdmin")}
      </label>
      {text("password", "password")}
      {u && <p className="muted">{t("admin.users.passwordHint")}</p>}
      <div className="form-actions">
        <button type="submit" className="primary">
          {t("admin.save")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t("admin.cancel")}
        </button>
      </div>
    </form>
  );
}
