import { durationMs } from "./approval/approval-duration";

/** Camunda's default task priority. */
export const DEFAULT_PRIORITY = 50;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const INTEGER = /^-?\d{1,9}$/;
const WHOLE = /^\s*\$\{([\s\S]+)\}\s*$/;

/** The inside of a value that is one whole `${...}` (`${d} ${t}` is two, not one). */
function inside(text: string): string | undefined {
  const body = WHOLE.exec(text)?.[1];
  return body === undefined || body.includes("}") ? undefined : body.trim();
}

/** Whether `yyyy-mm-dd` names a day of the calendar (not 2026-02-30). */
const realDay = (day: string) => new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

/**
 * A `camunda:dueDate` or `camunda:followUpDate` as written: an ISO date (due by the end of that day, UTC), a date-time
 * with its zone, or an ISO duration from the task's creation (`P3D`, `PT4H`). Undefined when it cannot be read.
 */
function dateOf(text: string, created: Date): Date | undefined {
  const value = text.trim();
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T23:59:59.999Z`);
    return Number.isNaN(day.getTime()) || !realDay(value) ? undefined : day;
  }
  if (DATE_TIME.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) || !realDay(value.slice(0, 10)) ? undefined : at;
  }
  const ms = value.startsWith("P") ? durationMs(value) : undefined;
  return ms === undefined ? undefined : new Date(created.getTime() + ms);
}

const DATE_FORMS = `an ISO date (2026-12-24), a date-time with its zone (2026-12-24T17:00:00Z), an ISO duration from the task's creation (P3D, PT4H) or an expression \${...}`;

/** Why a literal due or follow-up date cannot be read, or undefined when it can (expressions are checked apart). */
export function taskDateProblem(text: string): string | undefined {
  if (inside(text) !== undefined || dateOf(text, new Date(0))) return undefined;
  return `"${text}" is not ${DATE_FORMS}`;
}

/** Why a literal priority cannot be read, or undefined. */
export function taskPriorityProblem(text: string): string | undefined {
  if (inside(text) !== undefined || INTEGER.test(text.trim())) return undefined;
  return `"${text}" is not a whole number or an expression \${...}`;
}

/**
 * A task's due or follow-up date as an ISO date-time, from what the BPMN says; null when it says nothing or its
 * expression gives no value. `evaluate` runs the inside of a `${...}`; what it gives is read like a literal.
 */
export function resolveTaskDate(
  value: unknown,
  created: Date,
  evaluate: (source: string) => unknown,
  what: string,
): string | null {
  if (typeof value !== "string" || !value.trim()) return null;
  const expression = inside(value);
  const given = expression === undefined ? value : evaluate(expression);
  if (given === null || given === undefined || given === "") return null;
  const at = given instanceof Date ? given : typeof given === "string" ? dateOf(given, created) : undefined;
  if (!at) throw new Error(`the ${what} ${value} gave ${JSON.stringify(given)}, which is not ${DATE_FORMS}`);
  return at.toISOString();
}

/** A task's priority from `camunda:priority`: a whole number, or an expression giving one; 50 when absent. */
export function resolvePriority(value: unknown, evaluate: (source: string) => unknown): number {
  if (typeof value !== "string" || !value.trim()) return DEFAULT_PRIORITY;
  const expression = inside(value);
  const given = expression === undefined ? value.trim() : evaluate(expression);
  if (given === null || given === undefined || given === "") return DEFAULT_PRIORITY;
  if (INTEGER.test(String(given))) return Number(given);
  throw new Error(`the priority ${value} gave ${JSON.stringify(given)}, which is not a whole number`);
}
