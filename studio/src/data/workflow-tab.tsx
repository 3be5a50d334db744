import type { WorkflowHistoryEntry, WorkflowInstance } from "@kehu/client";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { ActiveElements } from "../workflows/active-elements";
import { InstanceHistoryTable } from "../workflows/instance-history-table";
import { elementNames } from "./element-names";

interface InstanceWithHistory {
  instance: WorkflowInstance;
  history: WorkflowHistoryEntry[];
  /** The designer's element names by id (empty when the process cannot be read). */
  names: Map<string, string>;
}

/** The workflows started for a record: state, the steps holding a token now, and what happened when, by whom. */
export function WorkflowTab({ entityName, id }: { entityName: string; id: string }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<InstanceWithHistory[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const processes = new Map<string, Promise<Map<string, string>>>();
    const namesOf = (i: WorkflowInstance) => {
      const key = `${i.key}@${i.version}`;
      if (!processes.has(key))
        processes.set(
          key,
          kehu.workflows.deployment(i.key, i.version).then(
            (d) => elementNames(d.xml),
            () => new Map<string, string>(),
          ),
        );
      return processes.get(key)!;
    };
    kehu.workflows
      .instances({ entity: entityName, recordId: id })
      .then((instances) =>
        Promise.all(
          instances.map(async (instance) => ({
            instance,
            history: await kehu.workflows.history(instance.id),
            names: await namesOf(instance),
          })),
        ),
      )
      .then(setItems, (e) => {
        setError(e);
        setItems([]);
      });
  }, [entityName, id]);
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : "—");
  if (!items) return <p className="muted">{t("common.loading")}</p>;
  return (
    <div data-testid="workflow-tab">
      <ErrorBanner error={error} />
      {items.length === 0 && !error && <p className="muted">{t("workflow.empty")}</p>}
      {items.map(({ instance, history, names }) => (
        <section key={instance.id} className="workflow-instance" data-instance={instance.key}>
          <h3>
            <a href={routeHref("workflows", "~instance", instance.id)} title={t("workflows.instance.openInstance")}>
              {names.get(instance.key) ?? instance.key}
            </a>{" "}
            <span className="muted">v{instance.version}</span>
            <span className="badge" data-status={instance.status}>
              {t(`workflow.statuses.${instance.status}`, { defaultValue: instance.status })}
            </span>
          </h3>
          <p className="muted">
            {t("workflow.started", { who: instance.startedBy, at: when(instance.createdAt) })}
            {instance.endedAt && <> · {t("workflow.ended", { at: when(instance.endedAt) })}</>}
          </p>
          {instance.error && <div className="error-banner">{instance.error}</div>}
          <ActiveElements active={instance.active} names={names} />
          <InstanceHistoryTable history={history} names={names} />
        </section>
      ))}
    </div>
  );
}
