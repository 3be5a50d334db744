import type { PlannedLevel } from "@kehu/schema";
import { durationMs } from "./approval-duration";
import type { ApprovalPlan } from "./approval-plan";

export interface Vote {
  level: number;
  /** The approver the vote counts for (the matrix's person, also when a substitute or an escalation target acted). */
  approver: string;
  by: string;
  outcome: "approve" | "reject" | "return";
  taskId: string;
  at: string;
}

/** Where an approval stands: the current level, the votes of this round, escalation, and the outcome so far. */
export interface BallotState {
  level: number;
  votes: Vote[];
  escalatedTo: string[];
  dueAt: string | null;
  outcome: "voting" | "approved" | "rejected";
  reason: string;
  /** Ids of the completed tasks already counted (over every round). */
  counted: string[];
}

/** What the generic BPMN reads after each approval service (flat values, for gateways and task attributes). */
export interface BallotSummary {
  next: "vote" | "voteTimed" | "voteParallel" | "voteParallelTimed" | "approved" | "rejected";
  candidates: string;
  /** A parallel level: whom to give their own task now (the multi-instance collection). */
  pending: string[];
  /** A parallel level: approvals among the open tasks that pass it, and rejections it can still take. */
  needed: number;
  allowed: number;
  dueAt: string | null;
  submitter: string;
  level: string;
  reason: string;
  round: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function pendingSlots(level: PlannedLevel, state: BallotState) {
  return level.slots.filter((s) => !state.votes.some((v) => v.level === level.index && same(v.approver, s.approver)));
}

/** Starts level `index` (or ends the approval after the last level): no votes yet, the SLA due from `now`. */
export function openLevel(plan: ApprovalPlan, state: BallotState, index: number, now: Date): BallotState {
  const level = plan.levels[index];
  if (!level) return { ...state, level: index, dueAt: null, outcome: "approved", reason: "every level approved" };
  const sla = level.sla ? durationMs(level.sla) : undefined;
  return {
    ...state,
    level: index,
    escalatedTo: [],
    dueAt: sla === undefined ? null : new Date(now.getTime() + sla).toISOString(),
    outcome: "voting",
    reason: `waiting for level ${index + 1} "${level.name}"`,
  };
}

export function firstBallot(plan: ApprovalPlan, counted: string[], now: Date): BallotState {
  const empty: BallotState = {
    level: 0,
    votes: [],
    escalatedTo: [],
    dueAt: null,
    outcome: "voting",
    reason: "",
    counted,
  };
  return openLevel(plan, empty, 0, now);
}

/** Who may decide now: the next approver (sequential) or every approver not yet voted (parallel), plus escalation. */
export function candidatesOf(plan: ApprovalPlan, state: BallotState): string[] {
  const level = plan.levels[state.level];
  if (!level || state.outcome !== "voting") return [];
  const pending = pendingSlots(level, state);
  const acting = (level.mode === "sequential" ? pending.slice(0, 1) : pending).map((s) => s.acts);
  return [...new Set([...acting, ...state.escalatedTo])];
}

/**
 * Counts a decision on the current level. The voter (or whom they decide for, after a delegation) counts for the
 * slot they act for (themselves, or as substitute);
 * an escalation target decides the whole level; anyone else (an administrator) for the next pending slot. The level
 * passes with `required` approvals and fails once so many rejected that the quorum can no longer be met; `return`
 * sends the approval back at once.
 */
export function castVote(
  plan: ApprovalPlan,
  state: BallotState,
  vote: { by: string; outcome: string; taskId: string; onBehalfOf?: string },
  now: Date,
): BallotState {
  const level = plan.levels[state.level];
  const counted = [...state.counted, vote.taskId];
  if (!level || state.outcome !== "voting") return { ...state, counted };
  const outcome = vote.outcome === "approve" || vote.outcome === "return" ? vote.outcome : "reject";
  const at = now.toISOString();
  const pending = pendingSlots(level, state);
  const who = vote.onBehalfOf ?? vote.by;
  const own = pending.find((s) => same(s.acts, who) || same(s.approver, who));
  const escalated = !own && state.escalatedTo.some((l) => same(l, who));
  const slot = own ?? pending[0];
  const cast = (approver: string): Vote => ({
    level: level.index,
    approver,
    by: vote.by,
    outcome,
    taskId: vote.taskId,
    at,
  });
  const votes = escalated
    ? [...state.votes, ...pending.map((s) => cast(s.approver))]
    : [...state.votes, cast(slot.approver)];
  const next = { ...state, votes, counted };
  const here = votes.filter((v) => v.level === level.index);
  const approvals = here.filter((v) => v.outcome === "approve").length;
  const rejections = here.length - approvals;
  const name = `level ${level.index + 1} "${level.name}"`;
  if (outcome === "return") return { ...next, outcome: "rejected", reason: `${vote.by} returned it at ${name}` };
  if (approvals >= level.required) return openLevel(plan, next, level.index + 1, now);
  if (rejections > level.slots.length - level.required)
    return {
      ...next,
      outcome: "rejected",
      reason:
        level.required === 1 || escalated
          ? `${vote.by} rejected it at ${name}`
          : `quorum not met at ${name}: ${approvals} approved, ${rejections} rejected, ${level.required} of ${level.slots.length} needed`,
    };
  return next;
}

/**
 * What the open tasks of a parallel level must still bring: the approvals that pass it and the rejections it survives.
 * After an escalation any one decision ends the tasks (the escalation target decides the level alone; anyone else's
 * vote is counted and the rest asked again).
 */
function stillNeeded(level: PlannedLevel | undefined, state: BallotState) {
  if (!level || state.escalatedTo.length) return { needed: 1, allowed: 0 };
  const here = state.votes.filter((v) => v.level === level.index);
  const approvals = here.filter((v) => v.outcome === "approve").length;
  const rejections = here.length - approvals;
  return { needed: level.required - approvals, allowed: level.slots.length - level.required - rejections };
}

export function summaryOf(plan: ApprovalPlan, state: BallotState, round: number): BallotSummary {
  const level = plan.levels[state.level];
  const voting = state.outcome === "voting";
  const timed = voting && state.dueAt !== null;
  const parallel = voting && level?.mode === "parallel";
  const candidates = candidatesOf(plan, state);
  const step = parallel ? (timed ? "voteParallelTimed" : "voteParallel") : timed ? "voteTimed" : "vote";
  return {
    next: voting ? step : (state.outcome as "approved" | "rejected"),
    candidates: candidates.join(","),
    pending: parallel ? candidates : [],
    ...stillNeeded(level, state),
    dueAt: state.dueAt,
    submitter: plan.submitter,
    level: level?.name ?? "",
    reason: state.reason,
    round,
  };
}
