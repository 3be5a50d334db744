import type { Knex } from "knex";
import { insertOwedSql, type OwedRows } from "./owed-rows";
import { preparedName } from "./prepared-name";
import type { EngineRun, StepSignal } from "./run-engine";
import { taskRowsOf } from "./task-projection";
import type { ScheduledTimer } from "./timer-projection";

/**
 * Everything one step writes, as ONE statement (data-modifying CTEs, one round trip instead of six): the instance's
 * state, variables and tokens; the inbox kept in step (a row per waiting user task, idempotent on (instance,
 * execution id) because a resumed engine reports its waits again; open rows whose task no longer waits cancelled and written to the history as withdrawn, e.g. the other approvers'
 * tasks once a parallel level's quorum is reached);
 * the timer table kept in step (a pending row per active timer, a resumed timer keeping its stored due time, the
 * fired one marked fired, any other pending row whose timer is gone cancelled); the rows its services still owe
 * (their idempotency rows and the rows they handed over, see StepEffects); and the history. The parts touch
 * disjoint rows, and every part reads the table as it was before the statement, as the separate writes did.
 * Returns the timers newly set, for the job queue to wake, and the row version written (revision and xmin).
 */
export async function writeStep(
  trx: Knex,
  id: string,
  signal: StepSignal,
  result: EngineRun,
  owed: OwedRows[],
  actor: string,
  now: Date,
): Promise<{ timers: ScheduledTimer[]; revision: number; version: string }> {
  const ended = result.status === "completed";
  const tasks = taskRowsOf(result.tasks, result.variables, () => now);
  const timers = result.timers.map((t) => ({
    execution_id: t.executionId,
    element_id: t.elementId,
    due_at: (t.due ?? now).toISOString(),
  }));
  const history = result.events.map((e) => ({
    at: e.at.toISOString(),
    element_id: e.elementId,
    element_type: e.elementType,
    event: e.event,
    actor: e.event === "timeout" ? "timer" : actor,
  }));
  if (ended) history.push({ at: now.toISOString(), element_id: "", element_type: "", event: "completed", actor });
  const fired = signal.kind === "timer" ? signal.executionId : null;
  const sql = `WITH
      inst AS (
        UPDATE kehu.wf_instances SET status = :status, state = CAST(:state AS jsonb), variables = CAST(:variables AS jsonb),
          active = CAST(:active AS jsonb), error = NULL, failed_signal = NULL, revision = revision + 1,
          updated_at = :now, ended_at = :endedAt
        WHERE id = :id
        RETURNING revision, xmin::text AS row_version),
      task_in AS (
        INSERT INTO kehu.wf_tasks (instance_id, execution_id, element_id, name, assignee, candidate_users,
          candidate_groups, form, status, created_at, due_at, follow_up_at, priority)
        SELECT :id, t.execution_id, t.element_id, t.name, t.assignee, t.candidate_users, t.candidate_groups, t.form,
          'open', :now, t.due_at, t.follow_up_at, t.priority
        FROM jsonb_to_recordset(CAST(:tasks AS jsonb)) AS t(execution_id text, element_id text, name text, assignee text,
          candidate_users text[], candidate_groups text[], form jsonb, due_at timestamptz, follow_up_at timestamptz,
          priority integer)
        ON CONFLICT (instance_id, execution_id) DO NOTHING),
      task_gone AS (
        UPDATE kehu.wf_tasks SET status = 'cancelled', completed_at = :now
        WHERE instance_id = :id AND status = 'open'
          AND execution_id NOT IN (SELECT t->>'execution_id' FROM jsonb_array_elements(CAST(:tasks AS jsonb)) AS t)
        RETURNING id, element_id, assignee, candidate_users),
      task_gone_history AS (
        INSERT INTO kehu.wf_history (instance_id, at, element_id, element_type, event, actor, detail)
        SELECT :id, :now, g.element_id, 'bpmn:UserTask', 'withdrawn', :actor,
          jsonb_build_object('task', g.id, 'assignee', g.assignee, 'candidates', to_jsonb(g.candidate_users))
        FROM task_gone g),
      timer_gone AS (
        UPDATE kehu.wf_timers
        SET status = CASE WHEN execution_id = :fired THEN 'fired' ELSE 'cancelled' END, fired_at = :now
        WHERE instance_id = :id AND status = 'pending'
          AND execution_id NOT IN (SELECT t->>'execution_id' FROM jsonb_array_elements(CAST(:timers AS jsonb)) AS t)),
      timer_in AS (
        INSERT INTO kehu.wf_timers (instance_id, execution_id, element_id, due_at, status)
        SELECT :id, t.execution_id, t.element_id, t.due_at, 'pending'
        FROM jsonb_to_recordset(CAST(:timers AS jsonb)) AS t(execution_id text, element_id text, due_at timestamptz)
        WHERE NOT EXISTS (SELECT 1 FROM kehu.wf_timers p
          WHERE p.instance_id = :id AND p.execution_id = t.execution_id AND p.status = 'pending')
        ON CONFLICT (instance_id, execution_id) DO UPDATE SET due_at = excluded.due_at, status = excluded.status
        RETURNING id, due_at),
${owed.map((o, i) => `owed_${i} AS (${insertOwedSql(o, `owed${i}`)}),`).join("\n")}
      history_in AS (
        INSERT INTO kehu.wf_history (instance_id, at, element_id, element_type, event, actor)
        SELECT :id, CAST(h->>'at' AS timestamptz), h->>'element_id', h->>'element_type', h->>'event', h->>'actor'
        FROM jsonb_array_elements(CAST(:history AS jsonb)) WITH ORDINALITY AS e(h, n) ORDER BY n)
    SELECT i.revision, i.row_version, t.id, t.due_at FROM inst i LEFT JOIN timer_in t ON true`;
  const bindings = {
    id,
    status: result.status,
    state: result.state === null ? null : JSON.stringify(result.state),
    variables: JSON.stringify(result.variables),
    active: JSON.stringify(result.active),
    now,
    endedAt: ended ? now : null,
    tasks: JSON.stringify(tasks),
    timers: JSON.stringify(timers),
    fired,
    history: JSON.stringify(history),
    ...Object.fromEntries(owed.map((o, i) => [`owed${i}`, JSON.stringify(o.rows)])),
    actor,
  };
  const { rows } = await trx.raw(sql, bindings).options({ name: preparedName(sql) });
  const written = rows as Array<{ revision: number; row_version: string; id: string | null; due_at: Date | string }>;
  return {
    timers: written.flatMap((r) => (r.id ? [{ id: r.id, instanceId: id, due: new Date(r.due_at) }] : [])),
    revision: Number(written[0].revision),
    version: written[0].row_version,
  };
}
