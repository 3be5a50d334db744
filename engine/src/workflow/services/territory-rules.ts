import { AppError, type Issue } from "@kehu/core";
import type { CandidateSpec } from "./assign-candidates";

export type Within = "roundRobin" | "leastOpen";

/** One row of a territory table: when the record's fields match, deal among these users. */
export interface TerritoryRule extends CandidateSpec {
  name: string;
  /** Field → accepted value (or list of values); every field must match. Empty: matches every record. */
  when: Record<string, unknown>;
  within?: Within;
  /** leastOpen/roundRobin skip users who already hold this many open records. */
  maxOpen?: number;
}

/** A territory rule table: first matching rule with an active candidate wins, else the fallback. */
export interface TerritoryTable {
  rules: TerritoryRule[];
  fallback?: Omit<TerritoryRule, "when" | "name"> & { name?: string };
  within?: Within;
}

const RULE_KEYS = new Set(["name", "when", "users", "role", "department", "within", "maxOpen"]);
const WITHIN = new Set(["roundRobin", "leastOpen"]);

function specIssues(r: Record<string, unknown>, path: string, issues: Issue[]) {
  for (const k of Object.keys(r))
    if (!RULE_KEYS.has(k)) issues.push({ path: `${path}/${k}`, message: "unknown property" });
  if (r.users === undefined && r.role === undefined && r.department === undefined)
    issues.push({ path, message: "name users, a role or a department to deal among" });
  if (
    r.users !== undefined &&
    typeof r.users !== "string" &&
    !(Array.isArray(r.users) && r.users.every((u) => typeof u === "string"))
  )
    issues.push({ path: `${path}/users`, message: "users must be logins (a list or comma-separated text)" });
  for (const k of ["role", "department"])
    if (r[k] !== undefined && (typeof r[k] !== "string" || !r[k]))
      issues.push({ path: `${path}/${k}`, message: `${k} must be a name` });
  if (r.within !== undefined && !WITHIN.has(r.within as string))
    issues.push({ path: `${path}/within`, message: "within must be roundRobin or leastOpen" });
  if (r.maxOpen !== undefined && !(Number.isInteger(r.maxOpen) && (r.maxOpen as number) > 0))
    issues.push({ path: `${path}/maxOpen`, message: "maxOpen must be a positive whole number" });
}

/**
 * Checks a territory table (an object, or its JSON text as a BPMN input carries it) and returns it typed, or throws
 * a validation error naming every problem by path. `fields` (when given) are the record fields `when` may test.
 */
export function parseTerritoryTable(raw: unknown, fields?: ReadonlySet<string>): TerritoryTable {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new AppError("validation_failed", `The territory rules are not JSON: ${(e as Error).message}`, [
        { path: "/rules", message: "not JSON" },
      ]);
    }
  }
  if (Array.isArray(value)) value = { rules: value };
  const issues: Issue[] = [];
  const t = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (!Array.isArray(t.rules)) issues.push({ path: "/rules", message: "rules must be a list" });
  for (const k of Object.keys(t))
    if (!["rules", "fallback", "within"].includes(k)) issues.push({ path: `/${k}`, message: "unknown property" });
  if (t.within !== undefined && !WITHIN.has(t.within as string))
    issues.push({ path: "/within", message: "within must be roundRobin or leastOpen" });
  const names = new Set<string>();
  for (const [i, rule] of (Array.isArray(t.rules) ? t.rules : []).entries()) {
    const path = `/rules/${i}`;
    const r = (typeof rule === "object" && rule !== null ? rule : {}) as Record<string, unknown>;
    if (typeof r.name !== "string" || !r.name) issues.push({ path: `${path}/name`, message: "each rule needs a name" });
    else if (names.has(r.name)) issues.push({ path: `${path}/name`, message: `rule name "${r.name}" is used twice` });
    else names.add(r.name);
    if (typeof r.when !== "object" || r.when === null || Array.isArray(r.when))
      issues.push({ path: `${path}/when`, message: "when must map record fields to values" });
    else
      for (const field of Object.keys(r.when))
        if (fields && !fields.has(field)) issues.push({ path: `${path}/when/${field}`, message: "no such field" });
    specIssues(r, path, issues);
  }
  if (t.fallback !== undefined) {
    if (typeof t.fallback !== "object" || t.fallback === null)
      issues.push({ path: "/fallback", message: "fallback must be an object" });
    else specIssues({ name: "fallback", when: {}, ...(t.fallback as object) }, "/fallback", issues);
  }
  if (issues.length) throw new AppError("validation_failed", "The territory rules are not valid", issues);
  return t as unknown as TerritoryTable;
}

function same(value: unknown, wanted: unknown): boolean {
  if (value === null || value === undefined) return wanted === null;
  if (Array.isArray(value)) return value.some((v) => same(v, wanted));
  if (typeof value === "object" && "amount" in (value as object))
    return same((value as { amount: unknown }).amount, wanted);
  return String(value) === String(wanted);
}

/** Whether a record matches a rule's `when`: each field equals the value, or one of the listed values. */
export function ruleMatches(rule: Pick<TerritoryRule, "when">, record: Record<string, unknown>): boolean {
  return Object.entries(rule.when).every(([field, wanted]) =>
    Array.isArray(wanted) ? wanted.some((w) => same(record[field], w)) : same(record[field], wanted),
  );
}

/** The record's values of the fields a table tests, for the trace. */
export function testedValues(table: TerritoryTable, record: Record<string, unknown>): Record<string, unknown> {
  const fields = new Set(table.rules.flatMap((r) => Object.keys(r.when)));
  return Object.fromEntries([...fields].sort().map((f) => [f, record[f] ?? null]));
}
