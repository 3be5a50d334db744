import type { InstanceStatus, WorkflowInstance } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";

const STATUSES: InstanceStatus[] = ["running", "waiting", "failed", "completed", "cancelled"];

/** The instances of one process, newest first, filtered by status and business key. */
export function InstanceList({ processKey }: { processKey: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<InstanceStatus | "">("");
  const [businessKey, setBusinessKey] = useState("");
  const [instances, setInstances] = useState<WorkflowInstance[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.workflows
      .instances({ key: processKey, status: status || undefined, businessKey: businessKey.trim() || undefined })
      .then(setInstances, setError);
  }, [processKey, status, businessKey]);
  const when = (at: string) => new Date(at).toLocaleString(i18n.language);
  return (
    <section className="instance-list">
      <div className="page-head">
        <h1>{t("workflows.instance.list", { key: processKey })}</h1>
        <a href={routeHref("workflows", processKey, "model")}>{t("workflows.edit")}</a>
        <a href={routeHref("workflows")}>{t("workflows.backToList")}</a>
      </div>
      <div className="filters">
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value as InstanceStatus | "")}>
          <option value="">{t("workflows.instance.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`workflow.statuses.${s}`)}
            </option>
          ))}
        </select>
        <input
          name="businessKey"
          placeholder={t("inbox.businessKey")}
          value={businessKey}
          onChange={(e) => setBusinessKey(e.target.value)}
        />
      </div>
      <ErrorBanner error={error} />
      {instances?.length === 0 && <p className="muted">{t("workflows.instance.none")}</p>}
      {instances && instances.length > 0 && (
        <table className="grid" data-testid="instances">
          <thead>
            <tr>
              <th>{t("workflows.instance.status")}</th>
              <th>{t("workflows.instance.started")}</th>
              <th>{t("workflows.instance.current")}</th>
              <th>{t("workflows.instance.record")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {instances.map((i) => (
              <tr key={i.id} data-instance={i.id}>
                <td>
                  <span className="badge" data-status={i.status}>
                    {t(`workflow.statuses.${i.status}`, { defaultValue: i.status })}
                  </span>
                </td>
                <td>
                  {when(i.createdAt)} <span className="muted">{i.startedBy}</span>{" "}
                  <span className="muted">v{i.version}</span>
                </td>
                <td>{i.active.join(", ") || "—"}</td>
                <td>
                  {i.entity && i.recordId ? (
                    <a href={routeHref("data", i.entity, i.recordId)}>{i.entity}</a>
                  ) : (
                    (i.businessKey ?? "—")
                  )}
                </td>
                <td>
                  <a href={routeHref("workflows", "~instance", i.id)}>{t("workflows.instance.open")}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
