import type { WorkflowTask } from "@kehu/client";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";
import { ErrorBanner } from "../shell/error-banner";
import { defaultInboxView, type InboxView as View } from "./inbox-view";
import { TaskView } from "./task-view";
import { TASKS_CHANGED } from "./use-inbox-counts";
import "./inbox.css";

/** The inbox (`#/inbox`, `#/inbox/<task id>`): my tasks and the ones I may claim, beside the task opened. */
export function InboxPage({ taskId, login, isAdmin }: { taskId?: string; login: string; isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const { entities } = useEntities();
  const [tasks, setTasks] = useState<Record<View, WorkflowTask[]>>({ mine: [], claimable: [] });
  // Undefined until the user picks a tab: the inbox then opens where the work is.
  const [picked, setView] = useState<View | undefined>(undefined);
  const view = picked ?? defaultInboxView(tasks, taskId);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    Promise.all([kehu.tasks.list("mine"), kehu.tasks.list("claimable")]).then(
      ([mine, claimable]) => {
        setTasks({ mine, claimable });
        setError(null);
      },
      (e) => setError(e),
    );
  }, []);
  useEffect(() => {
    load();
    window.addEventListener(TASKS_CHANGED, load);
    return () => window.removeEventListener(TASKS_CHANGED, load);
  }, [load]);

  const subjectOf = (task: WorkflowTask) => {
    const entity = entities.find((e) => e.name === task.subject?.entity);
    return entity ? entityLabel(entity, i18n.language) : (task.subject?.businessKey ?? task.subject?.processKey ?? "");
  };
  return (
    <section className="inbox">
      <div className="page-head">
        <h1>{t("inbox.title")}</h1>
      </div>
      <ErrorBanner error={error} />
      <div className="inbox-body">
        <div className="inbox-list">
          <div className="tabs" role="tablist">
            {(["mine", "claimable"] as const).map((v) => (
              <button
                key={v}
                type="button"
                role="tab"
                aria-selected={view === v}
                className={view === v ? "active" : ""}
                onClick={() => setView(v)}
              >
                {t(v === "mine" ? "inbox.mine" : "inbox.claimable")} ({tasks[v].length})
              </button>
            ))}
          </div>
          {tasks[view].length === 0 && <p className="muted">{t("inbox.empty")}</p>}
          <ul data-testid={`tasks-${view}`}>
            {tasks[view].map((task) => (
              <li key={task.id} className={task.id === taskId ? "active" : ""}>
                <a href={routeHref("inbox", task.id)}>
                  <strong>{task.name ?? task.elementId}</strong>
                  <span className="muted">
                    {subjectOf(task)} · {new Date(task.createdAt).toLocaleString(i18n.language)}
                  </span>
                  {task.dueDate && (
                    <span className={task.overdue ? "task-due overdue" : "task-due muted"}>
                      {t("inbox.due", { date: new Date(task.dueDate).toLocaleString(i18n.language) })}
                      {task.overdue && ` · ${t("inbox.overdue")}`}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </div>
        <div className="inbox-task">
          {taskId ? (
            <TaskView key={taskId} id={taskId} login={login} isAdmin={isAdmin} />
          ) : (
            <p className="muted">{t("inbox.pick")}</p>
          )}
        </div>
      </div>
    </section>
  );
}
