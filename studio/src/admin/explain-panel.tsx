import type { AdminUser, Explanation, KehuRecord } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { ExplainResult } from "./explain-result";

/** "Why can this user see this record": pick a user, an entity, a record (by id or title) and maybe a field. */
export function ExplainPanel() {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [user, setUser] = useState("");
  const [entityName, setEntityName] = useState("");
  const [recordId, setRecordId] = useState("");
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<KehuRecord[]>([]);
  const [field, setField] = useState("");
  const [result, setResult] = useState<Explanation | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.admin.users.list().then(setUsers, setError);
  }, []);
  const entity = entities.find((e) => e.name === entityName);

  const find = async () => {
    setError(null);
    try {
      setFound((await kehu.data(entityName).list({ search: search.trim(), limit: 10 })).data);
    } catch (e) {
      setError(e);
    }
  };
  const explain = async () => {
    setError(null);
    setResult(null);
    try {
      setResult(await kehu.admin.explain({ user, entity: entityName, id: recordId.trim(), field: field || undefined }));
    } catch (e) {
      setError(e);
    }
  };
  const title = (r: KehuRecord) => String((entity?.titleField && r[entity.titleField]) ?? r.id);

  return (
    <div>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void explain();
        }}
      >
        <label>
          {t("admin.explain.user")}
          <select name="explain-user" value={user} onChange={(e) => setUser(e.target.value)}>
            <option value="">—</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName && u.displayName !== u.login ? `${u.displayName} (${u.login})` : u.login}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("admin.explain.entity")}
          <select
            name="explain-entity"
            value={entityName}
            onChange={(e) => {
              setEntityName(e.target.value);
              setField("");
              setFound([]);
            }}
          >
            <option value="">—</option>
            {entities.map((e) => (
              <option key={e.name} value={e.name}>
                {entityLabel(e, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("admin.explain.searchRecord")}
          <span className="inline-form">
            <input name="explain-search" value={search} onChange={(e) => setSearch(e.target.value)} />
            <button type="button" disabled={!entityName || !search.trim()} onClick={find}>
              {t("admin.explain.find")}
            </button>
          </span>
        </label>
        {found.length > 0 && (
          <ul className="admin-list">
            {found.map((r) => (
              <li key={r.id}>
                <button type="button" className={recordId === r.id ? "active" : ""} onClick={() => setRecordId(r.id)}>
                  {title(r)}
                </button>
              </li>
            ))}
          </ul>
        )}
        <label>
          {t("admin.explain.recordId")}
          <input name="explain-id" value={recordId} onChange={(e) => setRecordId(e.target.value)} />
        </label>
        <label>
          {t("admin.explain.fieldOptional")}
          <select name="explain-field" value={field} onChange={(e) => setField(e.target.value)}>
            <option value="">—</option>
            {entity?.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {fieldLabel(f, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!user || !entityName || !recordId.trim()}>
            {t("admin.explain.run")}
          </button>
        </div>
      </form>
      <ErrorBanner error={error} />
      {result && <ExplainResult explanation={result} />}
    </div>
  );
}
