import type { KehuRecord } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CellValue } from "../data/cell-value";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import "./print.css";

/** One record as a printable sheet: labels and values in the UI language, no navigation; prints itself on request. */
export function PrintPage({ entityName, id }: { entityName: string; id: string }) {
  const { t, i18n } = useTranslation();
  const { entities, loaded } = useEntities();
  const entity = entities.find((e) => e.name === entityName);
  const [record, setRecord] = useState<KehuRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    kehu.data(entityName).get(id, { expand: [] }).then(setRecord, setError);
  }, [entityName, id]);
  if (error) return <ErrorBanner error={error} />;
  if (!entity) return <p className="muted">{loaded ? t("errors.notFound") : t("common.loading")}</p>;
  if (!record) return <p className="muted">{t("common.loading")}</p>;
  const title = String((entity.titleField && record[entity.titleField]) ?? record.id);
  return (
    <article className="print-sheet" data-testid="print-sheet">
      <div className="print-actions no-print">
        <a href={routeHref("data", entityName, id)}>{t("print.back")}</a>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("print.print")}
        </button>
      </div>
      <header>
        <div className="muted">{entityLabel(entity, i18n.language)}</div>
        <h1>{title}</h1>
      </header>
      <table className="print-fields">
        <tbody>
          {entity.fields.map((f) => (
            <tr key={f.name}>
              <th>{fieldLabel(f, i18n.language)}</th>
              <td>
                <CellValue field={f} value={record[f.name]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <footer className="muted">
        {t("print.printedAt", { at: new Date().toLocaleString(i18n.language), version: record.version })}
      </footer>
    </article>
  );
}
