import type { DashboardData, SavedDashboard } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { labelText } from "../lib/labels";
import { ErrorBanner } from "../shell/error-banner";
import { ReportCard } from "./report-card";
import "./dashboards.css";

/** `#/dashboards`: every dashboard; `#/dashboards/<key>`: its reports, run as the user. */
export function DashboardsPage({ dashboardKey, isAdmin }: { dashboardKey?: string; isAdmin: boolean }) {
  return dashboardKey ? (
    <DashboardView key={dashboardKey} dashboardKey={dashboardKey} isAdmin={isAdmin} />
  ) : (
    <DashboardList isAdmin={isAdmin} />
  );
}

function DashboardList({ isAdmin }: { isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const [dashboards, setDashboards] = useState<SavedDashboard[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.dashboards.list().then(setDashboards, setError);
  }, []);
  return (
    <section>
      <h1>{t("dashboards.title")}</h1>
      <ErrorBanner error={error} />
      {isAdmin && (
        <p>
          <a href={routeHref("reports", "builder")}>{t("dashboards.builderLink")}</a>
        </p>
      )}
      {dashboards === null && !error && <p className="muted">{t("common.loading")}</p>}
      {dashboards?.length === 0 && <p className="muted">{t("dashboards.none")}</p>}
      <div className="cards">
        {dashboards?.map(({ definition: d }) => (
          <a key={d.key} className="card" href={routeHref("dashboards", d.key)} data-dashboard={d.key}>
            <strong>{labelText(d.label, d.key, i18n.language)}</strong>
            <span className="muted">{t("dashboards.reportCount", { count: d.reports.length })}</span>
          </a>
        ))}
      </div>
    </section>
  );
}

function DashboardView({ dashboardKey, isAdmin }: { dashboardKey: string; isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.dashboards.data(dashboardKey).then(setData, setError);
  }, [dashboardKey]);
  return (
    <section>
      <p>
        <a href={routeHref("dashboards")}>← {t("dashboards.title")}</a>
      </p>
      <ErrorBanner error={error} />
      {!data && !error && <p className="muted">{t("common.loading")}</p>}
      {data && (
        <>
          <h1 data-testid="dashboard-title">{labelText(data.dashboard.label, data.dashboard.key, i18n.language)}</h1>
          <div className="report-grid">
            {data.reports.map((r) =>
              r.problem ? (
                <ReportCard key={r.key} reportKey={r.key} report={r.report} problem={r.problem} isAdmin={isAdmin} />
              ) : (
                <ReportCard key={r.key} reportKey={r.key} report={r.report} result={r} isAdmin={isAdmin} />
              ),
            )}
          </div>
        </>
      )}
    </section>
  );
}
