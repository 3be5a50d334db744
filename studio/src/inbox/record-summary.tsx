import type { KehuRecord } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CellValue } from "../data/cell-value";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";

const SHOWN_FIELDS = 8;

/** The record a task is about, in a few lines, with a link to its page; a record the user cannot read says so. */
export function RecordSummary({ entityName, id }: { entityName: string; id: string }) {
  const { t, i18n } = useTranslation();
  const entity = useEntities().entities.find((e) => e.name === entityName);
  const [record, setRecord] = useState<KehuRecord | null | undefined>(undefined);
  useEffect(() => {
    if (!entity) return;
    kehu
      .data(entityName)
      .get(id)
      .then(setRecord, () => setRecord(null));
  }, [entity, entityName, id]);
  if (!entity || record === null) return <p className="muted">{t("inbox.recordHidden")}</p>;
  if (!record) return <p className="muted">{t("common.loading")}</p>;
  const title = String((entity.titleField && record[entity.titleField]) ?? record.id);
  const fields = entity.fields.filter((f) => f.name !== entity.titleField && f.type !== "json").slice(0, SHOWN_FIELDS);
  return (
    <div className="record-summary" data-testid="task-record">
      <div>
        <span className="muted">{entityLabel(entity, i18n.language)}</span>{" "}
        <a href={routeHref("data", entityName, id)}>{title}</a>
      </div>
      <table className="changes">
        <tbody>
          {fields.map((f) => (
            <tr key={f.name}>
              <th>{fieldLabel(f, i18n.language)}</th>
              <td>
                <CellValue field={f} value={record[f.name]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
