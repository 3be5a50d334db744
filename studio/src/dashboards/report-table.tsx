import type { ReportDefinition, ReportRow } from "@kehu/client";
import { useTranslation } from "react-i18next";
import { fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { cellText, reportOutputs } from "./report-shape";

/** A report's rows as a table: group columns under their field labels, measures under their output names. */
export function ReportTable({ report, rows }: { report: ReportDefinition; rows: ReportRow[] }) {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  const { groups, measures } = reportOutputs(report.query);
  const entity = entities.find((e) => e.name === report.query.entity);
  const fieldName = (name: string) => {
    if (name === "owner_id") return t("reportBuilder.owner");
    if (name === "department_id") return t("reportBuilder.department");
    const field = entity?.fields.find((f) => f.name === name);
    return field ? fieldLabel(field, i18n.language) : name;
  };
  // A date grouped by month is "Signed on (Month)"; other groups are their field's label.
  const headings = (report.query.groupBy ?? []).map((g) =>
    typeof g === "string" ? fieldName(g) : `${fieldName(g.field)} (${t(`reportBuilder.buckets.${g.by}`)})`,
  );
  if (rows.length === 0) return <p className="muted">{t("dashboards.noRows")}</p>;
  return (
    <div className="report-table-wrap">
      <table className="report-table" data-testid="report-table">
        <thead>
          <tr>
            {groups.map((g, i) => (
              <th key={g}>{headings[i]}</th>
            ))}
            {measures.map((m) => (
              <th key={m} className="num">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no key of their own beyond their position
            <tr key={i}>
              {groups.map((g) => (
                <td key={g} data-column={g}>
                  {cellText(row[g])}
                </td>
              ))}
              {measures.map((m) => (
                <td key={m} className="num" data-column={m}>
                  {cellText(row[m])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
