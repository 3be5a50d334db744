import type { Knex } from "knex";
import type { ActiveTimer } from "./run-engine";

export interface ScheduledTimer {
  id: string;
  instanceId: string;
  due: Date;
}

/**
 * Keeps `kehu.wf_timers` in step with the engine after a step: a pending row per active timer (its due time on the
 * runtime's clock; a resumed timer keeps the due time stored when it was set), the fired one marked fired, any other
 * pending row whose timer is gone cancelled (its task was completed, or an interrupting timer won). Returns the timers
 * newly set, for the job queue to wake.
 */
export async function projectTimers(
  trx: Knex,
  instanceId: string,
  timers: ActiveTimer[],
  firedExecutionId: string | undefined,
  now: Date,
): Promise<ScheduledTimer[]> {
  const pending: Array<{ id: string; execution_id: string }> = await trx("kehu.wf_timers")
    .where({ instance_id: instanceId, status: "pending" })
    .select("id", "execution_id");
  const known = new Set(pending.map((p) => p.execution_id));
  const active = new Set(timers.map((t) => t.executionId));
  const gone = pending.filter((p) => !active.has(p.execution_id));
  for (const status of ["fired", "cancelled"] as const) {
    const ids = gone.filter((p) => (p.execution_id === firedExecutionId) === (status === "fired")).map((p) => p.id);
    if (ids.length) await trx("kehu.wf_timers").whereIn("id", ids).update({ status, fired_at: now });
  }
  const fresh = timers.filter((t) => !known.has(t.executionId));
  if (!fresh.length) return [];
  const rows: Array<{ id: string; due_at: Date | string }> = await trx("kehu.wf_timers")
    .insert(
      fresh.map((t) => ({
        instance_id: instanceId,
        execution_id: t.executionId,
        element_id: t.elementId,
        due_at: t.due ?? now,
        status: "pending",
      })),
    )
    .onConflict(["instance_id", "execution_id"])
    .merge(["due_at", "status"])
    .returning(["id", "due_at"]);
  return rows.map((r) => ({ id: r.id, instanceId, due: new Date(r.due_at) }));
}
