import type { WorkflowHistoryEntry } from "@kehu/client";
import { useTranslation } from "react-i18next";

const detailText = (d: Record<string, unknown> | null) =>
  d ? [d.outcome, d.comment, d.assignee].filter((v) => v !== undefined && v !== null).join(" · ") : "";

/** What happened in a workflow instance, when and by whom: element (by the designer's name), event, actor, decision. */
export function InstanceHistoryTable({
  history,
  names,
  testId,
}: {
  history: WorkflowHistoryEntry[];
  /** The designer's element names by id (empty when the process cannot be read). */
  names: Map<string, string>;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : "—");
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>{t("workflow.at")}</th>
          <th>{t("workflow.element")}</th>
          <th>{t("workflow.event")}</th>
          <th>{t("workflow.actor")}</th>
          <th>{t("workflow.detail")}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: history rows have no id and never reorder
          <tr key={i}>
            <td>{when(h.at)}</td>
            <td>
              {h.elementId ? (names.get(h.elementId) ?? <code>{h.elementId}</code>) : "—"}{" "}
              <span className="muted" title={h.elementId ?? undefined}>
                {h.elementType?.replace(/^bpmn:/, "") ?? ""}
              </span>
            </td>
            <td>{t(`workflow.events.${h.event}`, { defaultValue: h.event })}</td>
            <td>{h.actor ?? "—"}</td>
            <td>{detailText(h.detail)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
