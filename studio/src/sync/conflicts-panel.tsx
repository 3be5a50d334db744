import type { ConflictResolution, SyncConflict } from "@kehu/client";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { externalKeyText } from "./external-key-text";

const show = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** Records changed on both sides: each conflicting field's CRM and ERP values side by side; keep one side. */
export function ConflictsPanel(props: { connection: string; systemLabel: string; reloadKey: number }) {
  const { t } = useTranslation();
  const [conflicts, setConflicts] = useState<SyncConflict[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [resolved, setResolved] = useState(false);
  const load = useCallback(
    () =>
      kehu.sync.conflicts.list({ connection: props.connection, status: "open" }).then(
        (list) => setConflicts(list),
        (e) => setError(e),
      ),
    [props.connection],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey changes when a run ends
  useEffect(() => {
    void load();
  }, [load, props.reloadKey]);
  const resolve = async (id: number, resolution: ConflictResolution) => {
    setError(null);
    setResolved(false);
    try {
      await kehu.sync.conflicts.resolve(id, resolution);
      setResolved(true);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="sync-conflicts">
      <h3>
        {t("sync.conflicts")} ({conflicts.length})
      </h3>
      <ErrorBanner error={error} />
      {resolved && (
        <div className="notice" role="status">
          {t("sync.resolved")}
        </div>
      )}
      {conflicts.length === 0 && !error && <p className="muted">{t("sync.noConflicts")}</p>}
      {conflicts.map((c) => (
        <div key={c.id} className="conflict" data-conflict={c.externalKey}>
          <div>
            <a href={routeHref("data", c.entity, c.recordId)}>
              {c.entity} · {externalKeyText(c.externalKey)}
            </a>{" "}
            <span className="muted">
              {c.stream} · {t("sync.policy", { policy: c.policy })}
            </span>
          </div>
          <table className="grid">
            <thead>
              <tr>
                <th>{t("sync.field")}</th>
                <th>CRM</th>
                <th>{props.systemLabel}</th>
                <th>{t("sync.base")}</th>
              </tr>
            </thead>
            <tbody>
              {c.fields.map((f) => (
                <tr key={f.field}>
                  <th>{f.field}</th>
                  <td data-side="crm">{show(f.crm)}</td>
                  <td data-side="erp">{show(f.erp)}</td>
                  <td className="muted">{show(f.base)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button type="button" onClick={() => resolve(c.id, { take: "crm" })}>
              {t("sync.keep", { side: "CRM" })}
            </button>
            <button type="button" onClick={() => resolve(c.id, { take: "erp" })}>
              {t("sync.keep", { side: props.systemLabel })}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
