import { type AdminRole, KehuApiError } from "@kehu/client";
import type { Issue } from "@kehu/core";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { labelText } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { PermissionMatrix } from "./permission-matrix";
import { type MatrixState, matrixOf, permissionBody } from "./permission-matrix-state";

/** Roles: list, create, rename; the permission matrix of the selected role, saved with one PUT. */
export function RolesPanel() {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  const [roles, setRoles] = useState<AdminRole[]>([]);
  const [selected, setSelected] = useState<AdminRole | null>(null);
  const [matrix, setMatrix] = useState<MatrixState | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [name, setName] = useState("");
  const reload = useCallback(() => kehu.admin.roles.list().then(setRoles, setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const select = async (role: AdminRole) => {
    setSelected(role);
    setMatrix(null);
    setIssues([]);
    setSaved(false);
    try {
      setMatrix(matrixOf(await kehu.admin.roles.permissions(role.id)));
    } catch (e) {
      setError(e);
    }
  };
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const create = async () => {
    const ok = await run(async () => select(await kehu.admin.roles.create({ name: name.trim() })));
    if (ok) setName("");
    await reload();
  };
  const rename = () => {
    if (!selected) return;
    const next = window.prompt(t("admin.roles.name"), selected.name);
    if (next?.trim())
      void run(async () => setSelected(await kehu.admin.roles.update(selected.id, { name: next.trim() }))).then(reload);
  };
  const save = async () => {
    if (!selected || !matrix) return;
    setIssues([]);
    const ok = await run(async () => {
      try {
        setMatrix(matrixOf(await kehu.admin.roles.setPermissions(selected.id, permissionBody(matrix))));
      } catch (e) {
        if (e instanceof KehuApiError) setIssues(e.issues);
        throw e;
      }
    });
    setSaved(ok);
  };

  return (
    <div className="admin-split">
      <div>
        <ul className="admin-list">
          {roles.map((r) => (
            <li key={r.id}>
              <button type="button" className={selected?.id === r.id ? "active" : ""} onClick={() => select(r)}>
                {labelText(r.label ?? undefined, r.name, i18n.language)}
              </button>
            </li>
          ))}
        </ul>
        {roles.length === 0 && <p className="muted">{t("admin.roles.none")}</p>}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <input
            name="role-name"
            placeholder={t("admin.roles.name")}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" disabled={!name.trim()}>
            {t("admin.roles.create")}
          </button>
        </form>
      </div>
      <div>
        <ErrorBanner error={error} />
        {saved && (
          <div className="notice" role="status">
            {t("admin.saved")}
          </div>
        )}
        {selected && (
          <>
            <div className="page-head">
              <h2>{selected.name}</h2>
              <button type="button" onClick={rename}>
                {t("admin.rename")}
              </button>
            </div>
            {matrix ? (
              <>
                <PermissionMatrix entities={entities} state={matrix} issues={issues} onChange={setMatrix} />
                <div className="form-actions">
                  <button type="button" className="primary" onClick={save}>
                    {t("admin.roles.savePermissions")}
                  </button>
                </div>
              </>
            ) : (
              <p className="muted">{t("common.loading")}</p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
