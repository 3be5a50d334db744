import { describe, expect, it } from "vitest";
import { resolvePriority, resolveTaskDate, taskDateProblem, taskPriorityProblem } from "./task-schedule";

const created = new Date("2030-03-01T09:00:00Z");
const never = () => {
  throw new Error("not an expression");
};

describe("a user task's due date and priority", () => {
  it("reads ISO dates, zoned date-times, durations from creation and expressions", () => {
    expect(resolveTaskDate("2030-03-05", created, never, "due date")).toBe("2030-03-05T23:59:59.999Z");
    expect(resolveTaskDate("2030-03-05T17:00:00+08:00", created, never, "due date")).toBe("2030-03-05T09:00:00.000Z");
    expect(resolveTaskDate("P1DT2H", created, never, "due date")).toBe("2030-03-02T11:00:00.000Z");
    expect(resolveTaskDate(` \${deadline} `, created, () => "P2W", "due date")).toBe("2030-03-15T09:00:00.000Z");
    expect(resolveTaskDate(`\${deadline}`, created, () => null, "due date")).toBeNull();
    expect(resolveTaskDate(undefined, created, never, "due date")).toBeNull();
    expect(() => resolveTaskDate(`\${deadline}`, created, () => 42, "due date")).toThrow(
      /the due date \$\{deadline\} gave 42, which is not an ISO date/,
    );
  });

  it("refuses at deploy what cannot be read: impossible days, a time with no zone, months, words", () => {
    for (const ok of ["2030-02-28", "2030-03-05T17:00Z", "PT4H", "P2W", `\${deadline}`])
      expect(taskDateProblem(ok)).toBeUndefined();
    const twoExpressions = `\${day} \${time}`;
    for (const bad of [
      "2030-02-30",
      "2030-02-30T10:00Z",
      "2030-03-05T17:00:00",
      "P1M",
      "P",
      "tomorrow",
      `P\${days}D`,
      twoExpressions,
    ])
      expect(taskDateProblem(bad)).toMatch(/is not an ISO date/);
  });

  it("reads the priority as a whole number, 50 when absent", () => {
    expect(resolvePriority(undefined, never)).toBe(50);
    expect(resolvePriority(" 80 ", never)).toBe(80);
    expect(resolvePriority(`\${urgency}`, () => 10)).toBe(10);
    expect(() => resolvePriority(`\${urgency}`, () => "high")).toThrow(/gave "high", which is not a whole number/);
    expect(taskPriorityProblem("-5")).toBeUndefined();
    expect(taskPriorityProblem("1.5")).toMatch(/not a whole number/);
  });
});
