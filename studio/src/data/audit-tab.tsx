import type { AuditEntry } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";

const show = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** Who changed what on a record, newest first. */
export function AuditTab({ entityName, id }: { entityName: string; id: string }) {
  const { t, i18n } = useTranslation();
  const entity = useEntities().entities.find((e) => e.name === entityName);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.audit(entityName, id).then(
      (r) => setEntries(r.data),
      (e) => setError(e),
    );
  }, [entityName, id]);
  const labelOf = (name: string) => {
    const field = entity?.fields.find((f) => f.name === name);
    return field ? fieldLabel(field, i18n.language) : name;
  };
  return (
    <div data-testid="audit-history">
      <ErrorBanner error={error} />
      {entries.length === 0 && !error && <p className="muted">{t("audit.empty")}</p>}
      <ol className="audit">
        {entries.map((a) => (
          <li key={a.id}>
            <div>
              <strong>{t(`audit.actions.${a.action}`, { defaultValue: a.action })}</strong>{" "}
              <span className="muted">
                {a.actorLogin ?? "—"} · {new Date(a.at).toLocaleString(i18n.language)} · {a.channel}
              </span>
            </div>
            {a.changes && (
              <table className="changes">
                <tbody>
                  {Object.entries(a.changes as Record<string, { old: unknown; new: unknown }>).map(([name, c]) => (
                    <tr key={name}>
                      <th>{labelOf(name)}</th>
                      <td>{show(c.old)}</td>
                      <td>→</td>
                      <td>{show(c.new)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
