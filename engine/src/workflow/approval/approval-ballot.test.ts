import type { PlannedLevel } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { type BallotState, candidatesOf, castVote, firstBallot, summaryOf } from "./approval-ballot";
import type { Quorum } from "./approval-matrix";
import type { ApprovalPlan } from "./approval-plan";

const now = new Date("2030-01-01T00:00:00Z");

function level(index: number, approvers: string[], mode: "sequential" | "parallel", quorum: Quorum, sla?: string) {
  const m = approvers.length;
  return {
    index,
    name: `L${index + 1}`,
    mode,
    quorum,
    required: quorum === "any" ? 1 : quorum === "all" ? m : quorum,
    slots: approvers.map((a) => ({ approver: a, acts: a, why: "named" })),
    sla: sla ?? null,
    escalateTo: null,
  } satisfies PlannedLevel;
}

function plan(...levels: PlannedLevel[]): ApprovalPlan {
  return {
    matrix: "m",
    revision: 1,
    entity: "e",
    recordId: "r",
    submitter: "sam",
    amount: "1",
    currency: null,
    baseAmount: 1,
    baseCurrency: "CNY",
    dimensions: {},
    tier: "t",
    levels,
    status: null,
    explanation: [],
  };
}

let task = 0;
const vote = (p: ApprovalPlan, s: BallotState, by: string, outcome: string) =>
  castVote(p, s, { by, outcome, taskId: `t${task++}` }, now);

describe("approval levels", () => {
  it("asks a sequential any-of level one by one until someone approves", () => {
    const p = plan(level(0, ["a", "b", "c"], "sequential", "any"));
    let s = firstBallot(p, [], now);
    expect(candidatesOf(p, s)).toEqual(["a"]);
    s = vote(p, s, "a", "reject");
    expect(candidatesOf(p, s)).toEqual(["b"]);
    s = vote(p, s, "b", "approve");
    expect(s.outcome).toBe("approved");
  });

  it("rejects a sequential all-of level at the first rejection and stops asking", () => {
    const p = plan(level(0, ["a", "b"], "sequential", "all"), level(1, ["d"], "sequential", "any"));
    let s = vote(p, firstBallot(p, [], now), "a", "approve");
    expect(candidatesOf(p, s)).toEqual(["b"]);
    s = vote(p, s, "b", "reject");
    expect(s).toMatchObject({ outcome: "rejected", level: 0 });
    expect(candidatesOf(p, s)).toEqual([]);
  });

  it("moves to the next level when a level passes, with its own SLA due time", () => {
    const p = plan(level(0, ["a"], "sequential", "any"), level(1, ["x", "y"], "parallel", "all", "P2D"));
    const s = vote(p, firstBallot(p, [], now), "a", "approve");
    expect(s.level).toBe(1);
    expect(summaryOf(p, s, 1)).toMatchObject({
      next: "voteParallelTimed",
      candidates: "x,y",
      pending: ["x", "y"],
      dueAt: "2030-01-03T00:00:00.000Z",
    });
  });

  it("tells a parallel level's tasks how many approvals pass it and how many rejections it still takes", () => {
    const p = plan(level(0, ["a", "b", "c"], "parallel", 2));
    let s = firstBallot(p, [], now);
    expect(summaryOf(p, s, 1)).toMatchObject({ next: "voteParallel", pending: ["a", "b", "c"], needed: 2, allowed: 1 });
    s = vote(p, s, "b", "reject");
    expect(summaryOf(p, s, 1)).toMatchObject({ pending: ["a", "c"], needed: 2, allowed: 0 });
    s = { ...s, escalatedTo: ["boss"] };
    expect(summaryOf(p, s, 1)).toMatchObject({ pending: ["a", "c", "boss"], needed: 1, allowed: 0 });
    expect(summaryOf(plan(level(0, ["a", "b"], "sequential", "all")), firstBallot(p, [], now), 1)).toMatchObject({
      next: "vote",
      pending: [],
    });
  });

  it("sends the approval back at once on return, whatever the quorum", () => {
    const p = plan(level(0, ["a", "b", "c"], "parallel", 1));
    const s = vote(p, firstBallot(p, [], now), "c", "return");
    expect(s).toMatchObject({ outcome: "rejected", reason: 'c returned it at level 1 "L1"' });
  });

  it("counts a vote for the next pending approver when someone else (an administrator) decides", () => {
    const p = plan(level(0, ["a", "b"], "sequential", "all"));
    const s = vote(p, firstBallot(p, [], now), "root", "approve");
    expect(s.votes.map((v) => `${v.approver}:${v.by}`)).toEqual(["a:root"]);
    expect(candidatesOf(p, s)).toEqual(["b"]);
  });
});
