import { KehuApiError, type TaskCompletion, type WorkflowTaskDetail } from "@kehu/client";
import type { Issue } from "@kehu/core";
import Form from "@rjsf/core";
import type { ErrorSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { issuesToErrorSchema } from "../data/problem-errors";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { ErrorBanner } from "../shell/error-banner";
import { RecordSummary } from "./record-summary";
import { completionBody, taskFormParts } from "./task-form";
import { announceTasksChanged } from "./use-inbox-counts";

/** One task: what it is about, its form, outcomes with a comment, claim and delegate, and its comments. */
export function TaskView({ id, login, isAdmin }: { id: string; login: string; isAdmin: boolean }) {
  const { t, i18n } = useTranslation();
  const [task, setTask] = useState<WorkflowTaskDetail | undefined>(undefined);
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [fieldErrors, setFieldErrors] = useState<ErrorSchema | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [comment, setComment] = useState("");
  const [delegateTo, setDelegateTo] = useState("");
  const [done, setDone] = useState<TaskCompletion | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      kehu.tasks.get(id).then(
        (loaded) => {
          setTask(loaded);
          setFormData((current) => (Object.keys(current).length ? current : (loaded.data ?? {})));
        },
        (e) => setError(e),
      ),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const parts = useMemo(() => taskFormParts(task?.form ?? null), [task?.form]);

  if (!task) return error ? <ErrorBanner error={error} /> : <p className="muted">{t("common.loading")}</p>;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setFieldErrors(undefined);
    try {
      await action();
      announceTasksChanged();
    } catch (e) {
      const issues: Issue[] = e instanceof KehuApiError ? e.issues : [];
      const { errorSchema, unplaced } = issuesToErrorSchema(issues, Object.keys(parts.schema.properties ?? {}));
      setFieldErrors(Object.keys(errorSchema).length ? errorSchema : undefined);
      setError(
        e instanceof KehuApiError && unplaced.length < issues.length
          ? new KehuApiError({ ...e.problem, errors: unplaced })
          : e,
      );
    } finally {
      setBusy(false);
    }
  };
  const addComment = async () => {
    if (!comment.trim()) return;
    await kehu.tasks.comment(id, comment);
    setComment("");
  };
  const complete = (outcome?: string) =>
    run(async () => {
      // The comment goes first: a completed task takes no more comments.
      await addComment();
      setDone(await kehu.tasks.complete(id, completionBody(formData, outcome)));
      await load();
    });

  const open = task.status === "open";
  const mayAct = open && (task.assignee === login || task.assignee === null || isAdmin);
  const subject = task.subject;
  const outcomeText = (o: string) => t(`inbox.outcomes.${o}`, { defaultValue: o });

  return (
    <article className="task-view" data-testid="task-view">
      <h2>{task.name ?? task.elementId}</h2>
      <p className="muted">
        {t("inbox.process")}: {subject?.processKey ?? "—"} · {t("inbox.created")}:{" "}
        {new Date(task.createdAt).toLocaleString(i18n.language)} ·{" "}
        {task.assignee
          ? t("inbox.assignedTo", { login: task.assignee })
          : t("inbox.candidates", { names: [...task.candidateGroups, ...task.candidateUsers].join(", ") || "—" })}
      </p>
      {subject?.entity && subject.recordId && (
        <section>
          <h3>{t("inbox.record")}</h3>
          {/* Reloaded after a decision: the workflow may have changed the record. */}
          <RecordSummary key={done ? "after" : "before"} entityName={subject.entity} id={subject.recordId} />
        </section>
      )}
      {subject?.businessKey && !subject.recordId && (
        <p>
          {t("inbox.businessKey")}: <code>{subject.businessKey}</code>
        </p>
      )}
      <ErrorBanner error={error} />
      {done && (
        <div className="notice" role="status">
          {done.task.outcome ? t("inbox.completed", { outcome: outcomeText(done.task.outcome) }) : t("inbox.done")}
          {subject?.entity && subject.recordId && (
            <>
              {" "}
              <a href={routeHref("data", subject.entity, subject.recordId)}>{t("inbox.openRecord")}</a>
            </>
          )}
        </div>
      )}
      {!open && !done && (
        <div className="notice" role="status">
          {t("inbox.closed", { status: t(`inbox.statuses.${task.status}`, { defaultValue: task.status }) })}
        </div>
      )}
      {open && (
        <>
          <Form
            schema={parts.schema}
            uiSchema={parts.uiSchema}
            formData={formData}
            validator={validator}
            noValidate
            noHtml5Validate
            showErrorList={false}
            extraErrors={fieldErrors}
            disabled={!mayAct}
            onChange={(e) => setFormData(e.formData ?? {})}
          />
          <label className="stacked">
            {t("inbox.comment")}
            <textarea
              name="task-comment"
              rows={3}
              value={comment}
              placeholder={t("inbox.commentPlaceholder")}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <div className="form-actions">
            {task.assignee === null && (
              <button type="button" disabled={busy} onClick={() => run(() => kehu.tasks.claim(id).then(load))}>
                {t("inbox.claim")}
              </button>
            )}
            {mayAct &&
              parts.outcomes.map((o) => (
                <button
                  key={o}
                  type="button"
                  data-outcome={o}
                  className={o === "approve" ? "primary" : o === "reject" ? "danger" : ""}
                  disabled={busy}
                  onClick={() => complete(o)}
                >
                  {outcomeText(o)}
                </button>
              ))}
            {mayAct && !parts.outcomeRequired && (
              <button type="button" className="primary" disabled={busy} onClick={() => complete()}>
                {t("inbox.complete")}
              </button>
            )}
            <button type="button" disabled={busy || !comment.trim()} onClick={() => run(() => addComment().then(load))}>
              {t("inbox.addComment")}
            </button>
          </div>
          {(task.assignee === login || isAdmin) && (
            <div className="toolbar">
              <input
                name="delegate-to"
                value={delegateTo}
                placeholder={t("inbox.delegateTo")}
                aria-label={t("inbox.delegateTo")}
                onChange={(e) => setDelegateTo(e.target.value)}
              />
              <button
                type="button"
                disabled={busy || !delegateTo.trim()}
                onClick={() =>
                  run(async () => {
                    await kehu.tasks.delegate(id, delegateTo.trim());
                    setDelegateTo("");
                    await load();
                  })
                }
              >
                {t("inbox.delegate")}
              </button>
            </div>
          )}
        </>
      )}
      <section>
        <h3>{t("inbox.comments")}</h3>
        {task.comments.length === 0 && <p className="muted">{t("inbox.noComments")}</p>}
        <ol className="audit">
          {task.comments.map((c) => (
            <li key={`${c.at}:${c.author}`}>
              <span className="muted">
                {c.author} · {new Date(c.at).toLocaleString(i18n.language)}
              </span>
              <div>{c.body}</div>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
