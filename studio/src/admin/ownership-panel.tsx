import type { AdminUser, DepartmentNode } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { flattenDepartments } from "./department-options";

/** Reassigns every record of one user in an entity to another user (and department), after a confirmation. */
export function OwnershipPanel() {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [departments, setDepartments] = useState<DepartmentNode[]>([]);
  const [v, setV] = useState({ entity: "", from: "", toUser: "", toDepartment: "" });
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Promise.all([kehu.admin.users.list(), kehu.admin.departments.tree()]).then(([u, d]) => {
      setUsers(u);
      setDepartments(d);
    }, setError);
  }, []);
  const login = (id: string) => users.find((u) => u.id === id)?.login ?? id;
  const owned = entities.filter((e) => e.ownership !== "none");
  const transfer = async () => {
    const entity = entities.find((e) => e.name === v.entity);
    const question = t("admin.ownership.confirm", {
      entity: entity ? entityLabel(entity, i18n.language) : v.entity,
      from: login(v.from),
      to: login(v.toUser),
    });
    if (!window.confirm(question)) return;
    setError(null);
    setDone(null);
    try {
      const result = await kehu.admin.transferOwnership({
        entity: v.entity,
        from: v.from,
        toUser: v.toUser,
        ...(v.toDepartment ? { toDepartment: v.toDepartment } : {}),
      });
      setDone(result.transferred);
    } catch (e) {
      setError(e);
    }
  };
  const userSelect = (key: "from" | "toUser") => (
    <label>
      {t(`admin.ownership.${key}`)}
      <select name={`ownership-${key}`} value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })}>
        <option value="">—</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.login}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="admin-form"
      onSubmit={(e) => {
        e.preventDefault();
        void transfer();
      }}
    >
      <p className="muted">{t("admin.ownership.intro")}</p>
      <label>
        {t("admin.explain.entity")}
        <select name="ownership-entity" value={v.entity} onChange={(e) => setV({ ...v, entity: e.target.value })}>
          <option value="">—</option>
          {owned.map((e) => (
            <option key={e.name} value={e.name}>
              {entityLabel(e, i18n.language)}
            </option>
          ))}
        </select>
      </label>
      {userSelect("from")}
      {userSelect("toUser")}
      <label>
        {t("admin.ownership.toDepartment")}
        <select value={v.toDepartment} onChange={(e) => setV({ ...v, toDepartment: e.target.value })}>
          <option value="">{t("admin.ownership.ownersDepartment")}</option>
          {flattenDepartments(departments).map(({ node }) => (
            <option key={node.id} value={node.id}>
              {node.name}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!v.entity || !v.from || !v.toUser}>
          {t("admin.ownership.run")}
        </button>
      </div>
      <ErrorBanner error={error} />
      {done !== null && (
        <div className="notice" role="status">
          {t("admin.ownership.done", { count: done })}
        </div>
      )}
    </form>
  );
}
