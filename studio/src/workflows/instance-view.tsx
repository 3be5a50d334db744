import type { WorkflowHistoryEntry, WorkflowInstanceDetail } from "@kehu/client";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { elementNames } from "../data/element-names";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { ActiveElements } from "./active-elements";
import { InstanceHistoryTable } from "./instance-history-table";

const InstanceDiagram = lazy(() => import("./instance-diagram").then((m) => ({ default: m.InstanceDiagram })));

interface Loaded {
  instance: WorkflowInstanceDetail;
  history: WorkflowHistoryEntry[];
  xml: string;
}

const value = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** One instance (`#/workflows/~instance/<id>`): its diagram with current and completed steps, history, variables. */
export function InstanceView({ id, isAdmin, login }: { id: string; isAdmin: boolean; login: string }) {
  const { t, i18n } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      const instance = await kehu.workflows.instance(id);
      const [history, deployment] = await Promise.all([
        kehu.workflows.history(id),
        kehu.workflows.deployment(instance.key, instance.version),
      ]);
      setLoaded({ instance, history, xml: deployment.xml });
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const names = useMemo(() => (loaded ? elementNames(loaded.xml) : new Map<string, string>()), [loaded]);
  const done = useMemo(
    () => [
      ...new Set(
        (loaded?.history ?? [])
          .filter((h) => h.elementId && (h.event === "end" || h.event === "completed"))
          .map((h) => h.elementId!),
      ),
    ],
    [loaded],
  );
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : "—");
  if (!loaded) return error ? <ErrorBanner error={error} /> : <p className="muted">{t("common.loading")}</p>;
  const { instance, history } = loaded;
  const mayManage = isAdmin || instance.startedBy === login;
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const variables = Object.entries(instance.variables ?? {});

  return (
    <section className="instance-view" data-testid="instance-view" data-status={instance.status}>
      <div className="page-head">
        <h1>
          {t("workflows.instance.title", { key: names.get(instance.key) ?? instance.key, version: instance.version })}{" "}
          <span className="badge" data-status={instance.status}>
            {t(`workflow.statuses.${instance.status}`, { defaultValue: instance.status })}
          </span>
        </h1>
        {isAdmin && (
          <a href={routeHref("workflows", instance.key)}>{t("workflows.instance.list", { key: instance.key })}</a>
        )}
      </div>
      <ErrorBanner error={error} />
      <p className="muted">
        {t("workflow.started", { who: instance.startedBy, at: when(instance.createdAt) })}
        {instance.endedAt && <> · {t("workflow.ended", { at: when(instance.endedAt) })}</>}
        {instance.entity && instance.recordId && (
          <>
            {" · "}
            <a href={routeHref("data", instance.entity, instance.recordId)}>{t("workflows.instance.record")}</a>
          </>
        )}
      </p>
      {instance.error && <div className="error-banner">{instance.error}</div>}
      {mayManage && (
        <div className="form-actions">
          {(instance.status === "running" || instance.status === "waiting") && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                window.confirm(t("workflows.instance.confirmCancel")) && act(() => kehu.workflows.cancel(id))
              }
            >
              {t("workflows.instance.cancel")}
            </button>
          )}
          {instance.status === "failed" && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => act(() => kehu.workflows.retry(id))}
            >
              {t("workflows.instance.retry")}
            </button>
          )}
        </div>
      )}
      <Suspense fallback={<p className="muted">{t("common.loading")}</p>}>
        <InstanceDiagram xml={loaded.xml} active={instance.active} done={done} />
      </Suspense>
      <ActiveElements active={instance.active} names={names} />
      {instance.tasks.some((task) => task.status === "open") && (
        <>
          <h3>{t("workflows.instance.tasks")}</h3>
          <ul>
            {instance.tasks
              .filter((task) => task.status === "open")
              .map((task) => (
                <li key={task.id}>
                  <a href={routeHref("inbox", task.id)}>{task.name ?? task.elementId}</a>{" "}
                  <span className="muted">
                    {task.assignee ??
                      t("inbox.candidates", { names: [...task.candidateUsers, ...task.candidateGroups].join(", ") })}
                  </span>
                </li>
              ))}
          </ul>
        </>
      )}
      <h3>{t("workflows.instance.history")}</h3>
      <InstanceHistoryTable history={history} names={names} testId="instance-history" />
      <h3>{t("workflows.instance.variables")}</h3>
      {variables.length === 0 ? (
        <p className="muted">{t("workflows.instance.noVariables")}</p>
      ) : (
        <table className="grid" data-testid="instance-variables">
          <tbody>
            {variables.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>
                  <code>{value(v)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
