import type { DepartmentNode } from "@kehu/client";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { flattenDepartments } from "./department-options";
import { useReloadingRun } from "./use-reloading-run";

/** The department tree: create under a parent, rename, move under another parent, delete when empty. */
export function DepartmentsPanel() {
  const { t } = useTranslation();
  const [tree, setTree] = useState<DepartmentNode[]>([]);
  const [name, setName] = useState("");
  const [parent, setParent] = useState("");
  const { error, run } = useReloadingRun(useCallback(() => kehu.admin.departments.tree().then(setTree), []));
  const flat = flattenDepartments(tree);
  const rename = (d: DepartmentNode) => {
    const next = window.prompt(t("admin.departments.name"), d.name);
    if (next?.trim()) void run(() => kehu.admin.departments.update(d.id, { name: next.trim() }));
  };
  const remove = (d: DepartmentNode) => {
    if (window.confirm(t("admin.departments.confirmDelete", { name: d.name })))
      void run(() => kehu.admin.departments.remove(d.id));
  };

  return (
    <div>
      <ErrorBanner error={error} />
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => kehu.admin.departments.create({ name: name.trim(), parentId: parent || null })).then(() =>
            setName(""),
          );
        }}
      >
        <input
          name="department-name"
          placeholder={t("admin.departments.name")}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label>
          {t("admin.departments.parent")}{" "}
          <select name="department-parent" value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">{t("admin.departments.root")}</option>
            {flat.map(({ node, depth }) => (
              <option key={node.id} value={node.id}>
                {`${"\u00a0\u00a0".repeat(depth)}${node.name}`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          {t("admin.departments.create")}
        </button>
      </form>
      {flat.length === 0 && <p className="muted">{t("admin.departments.none")}</p>}
      <table className="grid">
        <tbody>
          {flat.map(({ node, depth }) => (
            <tr key={node.id} data-department={node.name}>
              <td style={{ paddingLeft: `${0.75 + depth * 1.5}rem` }}>{node.name}</td>
              <td>
                <label>
                  {t("admin.departments.moveUnder")}{" "}
                  <select
                    value={node.parentId ?? ""}
                    onChange={(e) =>
                      void run(() => kehu.admin.departments.update(node.id, { parentId: e.target.value || null }))
                    }
                  >
                    <option value="">{t("admin.departments.root")}</option>
                    {flat
                      .filter((o) => o.node.id !== node.id)
                      .map((o) => (
                        <option key={o.node.id} value={o.node.id}>
                          {o.node.name}
                        </option>
                      ))}
                  </select>
                </label>
              </td>
              <td className="actions">
                <button type="button" onClick={() => rename(node)}>
                  {t("admin.rename")}
                </button>
                <button type="button" className="danger" onClick={() => remove(node)}>
                  {t("admin.delete")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
