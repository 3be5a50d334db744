import type { PlannedSlot } from "@kehu/schema";
import type { Knex } from "knex";
import type { BallotState } from "./approval-ballot";
import type { ApprovalPlan } from "./approval-plan";
import { actingFor, type Substitute } from "./approval-substitutes";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const swap = (logins: string[], from: string, to: string) => [...new Set(logins.map((l) => (same(l, from) ? to : l)))];

/**
 * An absence entered while approvals already wait for the absent person: in every open level where they still have
 * to decide, their slot now acts through their substitute (followed along a chain, as when a level opens), and their
 * open tasks go to the substitute at once (candidate or assignee swapped), each redirect written to the history.
 * Only an absence in force at `at` redirects; a later one takes effect when a level opens. Returns the tasks moved.
 */
export async function redirectOpenBallots(trx: Knex, absence: Substitute, at: Date, actor: string): Promise<number> {
  if (Date.parse(absence.from) > at.getTime() || Date.parse(absence.to) <= at.getTime()) return 0;
  const away = absence.user;
  const runs: Array<{ instance_id: string }> = await trx("kehu.approval_runs")
    .whereRaw("state->>'outcome' = 'voting'")
    .select("instance_id");
  let moved = 0;
  for (const { instance_id } of runs) {
    // The instance's row lock first, as a step takes it: a vote being counted right now finishes before this.
    await trx("kehu.wf_instances").where({ id: instance_id }).forUpdate().first("id");
    const run: { plan: ApprovalPlan; state: BallotState } = await trx("kehu.approval_runs")
      .where({ instance_id })
      .first("plan", "state");
    const level = run.state.outcome === "voting" ? run.plan.levels[run.state.level] : undefined;
    if (!level) continue;
    const voted = (s: PlannedSlot) =>
      run.state.votes.some((v) => v.level === level.index && same(v.approver, s.approver));
    const affected = level.slots.filter((s) => same(s.acts, away) && !voted(s));
    if (!affected.length) continue;
    const chain = await actingFor(trx, away, at);
    const acts = chain[chain.length - 1];
    if (same(acts, away)) continue;
    const slots = level.slots.map((s) =>
      affected.includes(s)
        ? {
            ...s,
            acts,
            why: `${s.why}; away, so ${chain.slice(1).join(" → ")} acts`,
            substitutedBy: [...(s.substitutedBy ?? []), ...chain.slice(1)],
          }
        : s,
    );
    const plan = {
      ...run.plan,
      levels: run.plan.levels.map((l) => (l.index === level.index ? { ...level, slots } : l)),
    };
    await trx("kehu.approval_runs")
      .where({ instance_id })
      .update({ plan: JSON.stringify(plan), updated_at: at });
    const tasks = await trx("kehu.wf_tasks").where({ instance_id, status: "open" }).forUpdate();
    for (const task of tasks) {
      const candidate = (task.candidate_users as string[]).some((l) => same(l, away));
      const assigned = typeof task.assignee === "string" && same(task.assignee, away);
      if (!candidate && !assigned) continue;
      await trx("kehu.wf_tasks")
        .where({ id: task.id })
        .update({
          candidate_users: swap(task.candidate_users, away, acts),
          assignee: assigned ? acts : task.assignee,
        });
      await trx("kehu.wf_history").insert({
        instance_id,
        at,
        element_id: task.element_id,
        element_type: "bpmn:UserTask",
        event: "approval.redirected",
        actor,
        detail: JSON.stringify({ level: level.name, approver: away, substitute: acts, task: task.id }),
      });
      moved++;
    }
  }
  return moved;
}
