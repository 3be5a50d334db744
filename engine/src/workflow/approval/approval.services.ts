import { AppError } from "@kehu/core";
import type { PlannedSlot } from "@kehu/schema";
import { updateRecordService } from "../services/update-record.service";
import type { ServiceCall, WorkflowService } from "../workflow-service";
import { type BallotState, candidatesOf, castVote, firstBallot, summaryOf } from "./approval-ballot";
import { matrixFor } from "./approval-matrices";
import { type ApprovalPlan, planApproval } from "./approval-plan";
import { actingFor } from "./approval-substitutes";

interface RunRow {
  round: number;
  plan: ApprovalPlan;
  state: BallotState;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
const optionalText = { type: ["string", "null"] };

async function history(call: ServiceCall, event: string, detail: Record<string, unknown>) {
  await call.trx("kehu.wf_history").insert({
    instance_id: call.instance.id,
    at: call.now,
    element_id: call.elementId,
    element_type: "bpmn:ServiceTask",
    event,
    actor: call.principal.login,
    detail: JSON.stringify(detail),
  });
}

async function lockedRun(call: ServiceCall): Promise<RunRow> {
  const row = await call.trx("kehu.approval_runs").where({ instance_id: call.instance.id }).forUpdate().first();
  if (!row) throw new AppError("conflict", "No approval was planned for this instance (run approvalPlan first)");
  return row;
}

async function saveState(call: ServiceCall, run: RunRow, state: BallotState) {
  await call
    .trx("kehu.approval_runs")
    .where({ instance_id: call.instance.id })
    .update({
      plan: JSON.stringify(run.plan),
      state: JSON.stringify(state),
      outcome: state.outcome,
      updated_at: call.now,
    });
  return summaryOf(run.plan, state, run.round);
}

/**
 * A level opens: who is away now is replaced by their substitute (the plan resolved substitutes as of the submit,
 * a later level may open days after), and each substitution is written to the history.
 */
async function openedLevel(call: ServiceCall, plan: ApprovalPlan, index: number): Promise<ApprovalPlan> {
  const level = plan.levels[index];
  if (!level) return plan;
  const slots: PlannedSlot[] = [];
  for (const slot of level.slots) {
    const chain = await actingFor(call.trx, slot.approver, call.now);
    const acts = chain[chain.length - 1];
    const why = slot.why.split("; away, so ")[0];
    if (chain.length === 1) slots.push({ approver: slot.approver, acts, why });
    else {
      const by = chain.slice(1);
      slots.push({ approver: slot.approver, acts, why: `${why}; away, so ${by.join(" → ")} acts`, substitutedBy: by });
      await history(call, "approval.substituted", { level: level.name, approver: slot.approver, substitute: acts });
    }
  }
  return { ...plan, levels: plan.levels.map((l) => (l.index === index ? { ...level, slots } : l)) };
}

/**
 * Whom a completed task decided for when its completer is not a candidate: the first candidate who claimed it or
 * delegated it on (the task's audit trail), so a delegated vote counts for the approver who handed it over.
 */
async function delegatedBy(call: ServiceCall, taskId: string, candidates: string[], completedBy: string) {
  const lower = (l: string) => l.toLowerCase();
  if (candidates.some((c) => lower(c) === lower(completedBy))) return undefined;
  const rows: Array<{ changes: Record<string, { new?: unknown }> | null }> = await call
    .trx("kehu.audit_log")
    .where({ entity: "workflow_task", record_id: taskId })
    .orderBy("id")
    .select("changes");
  for (const { changes } of rows)
    for (const login of [changes?.from?.new, changes?.assignee?.new])
      if (typeof login === "string" && candidates.some((c) => lower(c) === lower(login))) return login;
  return undefined;
}

const BALLOTS = "ballot,ballotTimed,ballotParallel,ballotParallelTimed";

/**
 * Casts the votes of the approval tasks completed since the last count, in the order they were completed (the
 * completion's audit row breaks ties of the clock). They were all tasks of the level open at the start: once it is
 * decided, any later one is only marked counted, never cast on the next level.
 */
async function countCompleted(call: ServiceCall, run: RunRow, elements: string[]) {
  const done = await call
    .trx("kehu.wf_tasks as t")
    .where({ "t.instance_id": call.instance.id, "t.status": "completed" })
    .whereIn("t.element_id", elements)
    .whereNotIn("t.id", run.state.counted)
    .select(
      "t.*",
      call.trx.raw(
        `(SELECT max(a.id) FROM kehu.audit_log a WHERE a.entity = 'workflow_task' AND a.record_id = t.id) AS "auditId"`,
      ),
    )
    .orderBy([{ column: "t.completed_at" }, { column: "auditId" }, { column: "t.id" }]);
  let { plan, state } = run;
  const open = state.level;
  for (const task of done) {
    const level = plan.levels[state.level];
    if (state.level !== open || state.outcome !== "voting") {
      state = { ...state, counted: [...state.counted, task.id] };
      await history(call, "approval.voted", {
        level: plan.levels[open]?.name ?? null,
        by: task.completed_by,
        for: null,
        outcome: task.outcome ?? null,
        result: "not counted: the level was already decided",
      });
      continue;
    }
    const onBehalfOf = await delegatedBy(call, task.id, candidatesOf(plan, state), task.completed_by);
    state = castVote(
      plan,
      state,
      { by: task.completed_by, onBehalfOf, outcome: String(task.outcome ?? "reject"), taskId: task.id },
      call.now,
    );
    const vote = state.votes.find((v) => v.taskId === task.id);
    await history(call, "approval.voted", {
      level: level?.name ?? null,
      by: task.completed_by,
      for: vote?.approver ?? null,
      outcome: task.outcome ?? null,
      result: state.reason,
    });
    if (state.outcome === "voting" && state.level !== level?.index) plan = await openedLevel(call, plan, state.level);
  }
  return { plan, state };
}

/** `approvalPlan(matrix?, record?, submitter?)`: resolves the chain from the matrix as it is now and opens level 1. */
export const approvalPlanService: WorkflowService = {
  name: "approvalPlan",
  version: 1,
  description:
    "Resolves the approval chain of a record from an approval matrix (the one named, else the only one for the instance's entity), substitutes included, and opens the first level; again after a resubmit.",
  inputSchema: {
    type: "object",
    properties: { matrix: optionalText, record: optionalText, submitter: optionalText },
  },
  async run(call) {
    const { trx, instance, input } = call;
    const stored = await matrixFor(trx, text(input.matrix), instance.entity);
    const recordId = text(input.record) ?? instance.recordId;
    if (!recordId)
      throw new AppError("validation_failed", "The approval needs a record: start it for a record or set recordId");
    const planned = await planApproval(trx, call.ctx.registry, {
      matrix: stored.definition,
      revision: stored.revision,
      recordId,
      submitter: text(input.submitter) ?? instance.startedBy,
      at: call.now,
    });
    if (!planned.tier)
      throw new AppError(
        "validation_failed",
        `No tier of approval matrix "${stored.key}" applies: ${planned.explanation.join("; ")}`,
      );
    const blocked = planned.levels.find((l) => l.blocked);
    if (blocked) throw new AppError("validation_failed", `The approval cannot proceed: ${blocked.blocked}`);
    const previous = await trx("kehu.approval_runs").where({ instance_id: instance.id }).forUpdate().first();
    const round = (previous?.round ?? 0) + 1;
    await history(call, "approval.planned", {
      round,
      matrix: stored.key,
      revision: stored.revision,
      tier: planned.tier,
      explanation: planned.explanation,
    });
    const plan = await openedLevel(call, planned, 0);
    const state = firstBallot(plan, previous?.state.counted ?? [], call.now);
    const row = {
      matrix_key: stored.key,
      round,
      plan: JSON.stringify(plan),
      state: JSON.stringify(state),
      outcome: state.outcome,
      updated_at: call.now,
    };
    if (previous) await trx("kehu.approval_runs").where({ instance_id: instance.id }).update(row);
    else await trx("kehu.approval_runs").insert({ instance_id: instance.id, ...row });
    return summaryOf(plan, state, round);
  },
};

/** `approvalVote()`: counts the ballot tasks completed since the last count; passes, fails or keeps the level open. */
export const approvalVoteService: WorkflowService = {
  name: "approvalVote",
  version: 1,
  description:
    "Counts the decisions (approve, reject, return) of the approval tasks completed since the last count against the level's quorum, and opens the next level when it passes.",
  inputSchema: {
    type: "object",
    properties: {
      tasks: {
        type: "string",
        description: `Element ids of the approval tasks (default ${BALLOTS}).`,
      },
    },
  },
  async run(call) {
    const run = await lockedRun(call);
    const elements = (text(call.input.tasks) ?? BALLOTS).split(",").map((s) => s.trim());
    const { plan, state } = await countCompleted(call, run, elements);
    return saveState(call, { ...run, plan }, state);
  },
};

/** `approvalEscalate()`: the level's SLA passed: its escalation target may now decide the level; everyone is told. */
export const approvalEscalateService: WorkflowService = {
  name: "approvalEscalate",
  version: 1,
  description:
    "After a level's SLA: lets the level's escalation target decide it, and notifies them and the approvers still pending.",
  inputSchema: { type: "object", properties: {} },
  async run(call) {
    const locked = await lockedRun(call);
    // A parallel level's decisions made before the SLA passed count first (its loop only counts when it ends).
    const counted = await countCompleted(call, locked, BALLOTS.split(","));
    const run = { ...locked, ...counted };
    if (counted.state.outcome !== "voting" || counted.state.level !== locked.state.level)
      return saveState(call, run, counted.state);
    const level = run.plan.levels[run.state.level];
    const to = level?.escalateTo?.logins ?? [];
    const state: BallotState = {
      ...run.state,
      escalatedTo: to,
      dueAt: null,
      reason: `level ${run.state.level + 1} "${level?.name}" escalated after ${level?.sla}`,
    };
    const summary = await saveState(call, run, state);
    const told = summary.candidates.split(",").filter(Boolean);
    if (told.length)
      await call.trx("kehu.wf_notifications").insert(
        told.map((login) => ({
          user_login: login,
          title: `Approval overdue: ${level?.name ?? ""}`,
          body: `The approval of ${run.plan.entity} ${run.plan.recordId} passed its SLA of ${level?.sla}`,
          instance_id: call.instance.id,
        })),
      );
    await history(call, "approval.escalated", {
      level: level?.name ?? null,
      after: level?.sla ?? null,
      to,
      notified: told,
    });
    return summary;
  },
};

/** `approvalSetStatus(outcome)`: writes the matrix's status value for the outcome into the record (via updateRecord). */
export const approvalSetStatusService: WorkflowService = {
  name: "approvalSetStatus",
  version: 1,
  description:
    "Sets the record's status field to the matrix's value for pending, approved, rejected or withdrawn (through updateRecord); nothing when the matrix names none.",
  inputSchema: {
    type: "object",
    properties: { outcome: { enum: ["pending", "approved", "rejected", "withdrawn"] } },
    required: ["outcome"],
  },
  async run(call) {
    const run = await lockedRun(call);
    const outcome = String(call.input.outcome) as "pending" | "approved" | "rejected" | "withdrawn";
    await call
      .trx("kehu.approval_runs")
      .where({ instance_id: call.instance.id })
      .update({ outcome, updated_at: call.now });
    const status = run.plan.status;
    const value = status?.[outcome];
    if (!status || !value) return null;
    return updateRecordService.run({
      ...call,
      input: { entity: run.plan.entity, id: run.plan.recordId, values: { [status.field]: value } },
    });
  },
};

export const APPROVAL_SERVICES: WorkflowService[] = [
  approvalPlanService,
  approvalVoteService,
  approvalEscalateService,
  approvalSetStatusService,
];
