import type { WorkflowDeployment, WorkflowInstance, WorkflowTrigger } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";

interface ProcessRow {
  key: string;
  versions: WorkflowDeployment[];
  triggers: WorkflowTrigger[];
  running: number;
  failed: number;
}

const countByKey = (instances: WorkflowInstance[]) => {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.key, (counts.get(i.key) ?? 0) + 1);
  return counts;
};

/** Deployed processes by key: versions, what starts them, and how many instances run or failed. */
export function WorkflowList() {
  const { t, i18n } = useTranslation();
  const [rows, setRows] = useState<ProcessRow[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Promise.all([
      kehu.workflows.deployments(),
      kehu.workflows.triggers(),
      kehu.workflows.instances({ status: "running", limit: 1000 }),
      kehu.workflows.instances({ status: "waiting", limit: 1000 }),
      kehu.workflows.instances({ status: "failed", limit: 1000 }),
    ]).then(([deployments, triggers, running, waiting, failed]) => {
      const live = countByKey([...running, ...waiting]);
      const broken = countByKey(failed);
      const keys = [...new Set(deployments.map((d) => d.key))];
      setRows(
        keys.map((key) => ({
          key,
          versions: deployments.filter((d) => d.key === key).sort((a, b) => b.version - a.version),
          triggers: triggers.filter((tr) => tr.key === key && tr.enabled !== false),
          running: live.get(key) ?? 0,
          failed: broken.get(key) ?? 0,
        })),
      );
    }, setError);
  }, []);
  const when = (at: string) => new Date(at).toLocaleString(i18n.language);
  const triggerText = (tr: WorkflowTrigger) =>
    tr.kind === "schedule"
      ? t("workflows.onSchedule", { cron: tr.cron ?? "" })
      : t("workflows.onRecord", { events: tr.events.join(", "), entity: tr.entity ?? "" });

  return (
    <section className="workflow-list">
      <div className="page-head">
        <h1>{t("workflows.title")}</h1>
        <a className="button primary" href={routeHref("workflows", "~new", "model")} data-testid="new-process">
          {t("workflows.newProcess")}
        </a>
      </div>
      <ErrorBanner error={error} />
      {rows?.length === 0 && <p className="muted">{t("workflows.empty")}</p>}
      {rows && rows.length > 0 && (
        <table className="grid" data-testid="workflow-list">
          <thead>
            <tr>
              <th>{t("workflows.process")}</th>
              <th>{t("workflows.latest")}</th>
              <th>{t("workflows.versions")}</th>
              <th>{t("workflows.triggers")}</th>
              <th>{t("workflows.running")}</th>
              <th>{t("workflows.failed")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const latest = r.versions[0];
              return (
                <tr key={r.key} data-process={r.key}>
                  <td>
                    <strong>{latest.name ?? r.key}</strong> {latest.name && <code>{r.key}</code>}
                    {latest.entity && <span className="muted"> · {latest.entity}</span>}
                  </td>
                  <td className="muted">
                    {t("workflows.deployedBy", {
                      version: latest.version,
                      who: latest.createdBy,
                      at: when(latest.createdAt),
                    })}
                  </td>
                  <td>{r.versions.map((v) => `v${v.version}`).join(", ")}</td>
                  <td>{r.triggers.length ? r.triggers.map(triggerText).join("; ") : t("workflows.manual")}</td>
                  <td data-count="running">{r.running}</td>
                  <td data-count="failed" className={r.failed ? "bad" : ""}>
                    {r.failed}
                  </td>
                  <td className="actions">
                    <a href={routeHref("workflows", r.key, "model")}>{t("workflows.edit")}</a>{" "}
                    <a href={routeHref("workflows", r.key)}>{t("workflows.instances")}</a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
