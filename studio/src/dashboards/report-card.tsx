import { KehuApiError, type ReportDefinition, type ReportResult } from "@kehu/client";
import type { Problem } from "@kehu/core";
import { lazy, Suspense, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { kehu } from "../lib/kehu";
import { labelText } from "../lib/labels";
import { ErrorBanner } from "../shell/error-banner";
import { chartOption } from "./report-shape";
import { ReportTable } from "./report-table";

const ReportChart = lazy(() => import("./report-chart"));

/**
 * One report: its chart (or table, by toggle), the currency of its money, and for administrators its SQL. A report
 * that failed shows its problem instead.
 */
export function ReportCard(props: {
  reportKey: string;
  report?: ReportDefinition;
  result?: ReportResult;
  problem?: Problem;
  isAdmin: boolean;
  /** Runs the report with `explain`; saved reports by default. */
  explain?: () => Promise<ReportResult>;
}) {
  const { t, i18n } = useTranslation();
  const { report, result } = props;
  const option = useMemo(() => (report && result ? chartOption(report, result.rows) : undefined), [report, result]);
  const [asTable, setAsTable] = useState(false);
  const [sql, setSql] = useState<string | null>(null);
  const [sqlError, setSqlError] = useState<unknown>(null);
  const title = report ? labelText(report.label, report.key, i18n.language) : props.reportKey;

  const toggleSql = async () => {
    if (sql !== null) return setSql(null);
    try {
      const explained = await (props.explain?.() ?? kehu.reports.run(props.reportKey, { explain: true }));
      setSql(explained.sql ?? "");
      setSqlError(null);
    } catch (e) {
      setSqlError(e);
    }
  };

  return (
    <article className="report-card" data-report={props.reportKey}>
      <header>
        <h2>{title}</h2>
        {result && (
          <span className="muted report-currency" data-testid="report-currency">
            {t("dashboards.currency", { currency: result.currency })}
          </span>
        )}
        <span className="spacer" />
        {option && (
          <button type="button" onClick={() => setAsTable(!asTable)}>
            {asTable ? t("dashboards.showChart") : t("dashboards.showTable")}
          </button>
        )}
        {props.isAdmin && report && (
          <button type="button" onClick={toggleSql}>
            {sql !== null ? t("dashboards.hideSql") : t("dashboards.showSql")}
          </button>
        )}
      </header>
      {props.problem ? (
        <ErrorBanner error={new KehuApiError(props.problem)} />
      ) : report && result ? (
        option && !asTable ? (
          <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
            <ReportChart option={option} label={title} />
          </Suspense>
        ) : (
          <ReportTable report={report} rows={result.rows} />
        )
      ) : null}
      <ErrorBanner error={sqlError} />
      {sql !== null && (
        <pre className="report-sql" data-testid="report-sql">
          {sql}
        </pre>
      )}
    </article>
  );
}
