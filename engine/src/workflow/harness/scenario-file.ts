import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { FileProblem } from "../../apps/read-entity-files";
import { parseAdvance } from "./advance-duration";

/** A user a scenario starts with: roles by name, department by code (both created when missing). */
export interface GivenUser {
  login: string;
  name?: string;
  email?: string;
  roles?: string[];
  department?: string;
  admin?: boolean;
}

/** One step: exactly one kind key (`create`, `update`, `start`, `complete`, `claim`, `delegate`, `advance`, `expect`). */
export type ScenarioStep = Record<string, unknown> & { kind: StepKind; line?: number };

/** A scenario file, checked: what the world is at the start and what happens in it. */
export interface Scenario {
  file: string;
  name: string;
  clock: Date;
  users: GivenUser[];
  /** entity → symbolic name → field values (`$owner: login` makes a user own it). */
  records: Record<string, Record<string, Record<string, unknown>>>;
  variables: Record<string, unknown>;
  steps: ScenarioStep[];
}

export type StepKind = "create" | "update" | "start" | "complete" | "claim" | "delegate" | "advance" | "expect";

/** The keys each step kind may have besides its own. */
export const STEP_KEYS: Record<StepKind, string[]> = {
  create: ["ref", "as", "values"],
  update: ["as", "values"],
  start: ["ref", "as", "record", "variables", "businessKey"],
  complete: ["as", "with", "outcome", "instance"],
  claim: ["as", "instance"],
  delegate: ["as", "to", "instance"],
  advance: [],
  expect: [],
};

/** What an `expect` step may check. Keys starting with `$` name a record. */
export const EXPECT_KEYS = ["tasks", "assignee", "notifications", "emails", "timers", "instance"];

const TOP_KEYS = ["name", "clock", "given", "variables", "steps"];
const USER_KEYS = ["login", "name", "email", "roles", "department", "admin"];
/** Far enough ahead of the real time that no BPMN date is already past for bpmn-engine. */
export const DEFAULT_SCENARIO_CLOCK = "2030-01-01T00:00:00Z";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads and checks one `*.scenario.yaml`. Problems name the file and the line (or the path) of what is wrong: YAML
 * syntax, unknown keys, unknown step kinds, a bad duration. Values are checked against the database when run.
 */
export function readScenarioFile(file: string): { scenario?: Scenario; problems: FileProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length)
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line,
        col: e.linePos?.[0].col,
        message: e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  const problems: FileProblem[] = [];
  const at = (path: Array<string | number>, message: string) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    const pointer = `/${path.join("/")}`;
    problems.push(
      pos
        ? { file, line: pos.line, col: pos.col, message: `${pointer}: ${message}` }
        : { file, path: pointer, message },
    );
  };
  const value = doc.toJS() as unknown;
  if (!isObject(value)) return { problems: [{ file, message: "a scenario is a mapping with name, given, steps" }] };
  for (const k of Object.keys(value)) if (!TOP_KEYS.includes(k)) at([k], `unknown key (use ${TOP_KEYS.join(", ")})`);
  if (typeof value.name !== "string" || !value.name.trim()) at(["name"], "every scenario needs a name");
  const clock = new Date(String(value.clock ?? DEFAULT_SCENARIO_CLOCK));
  if (Number.isNaN(clock.getTime())) at(["clock"], "clock must be a date and time, e.g. 2030-01-06T09:00:00Z");
  const given = value.given ?? {};
  if (!isObject(given)) at(["given"], "given must be a mapping with users, records");
  const g = isObject(given) ? given : {};
  for (const k of Object.keys(g))
    if (k !== "users" && k !== "records") at(["given", k], "unknown key (use users, records)");
  const users = (g.users ?? []) as GivenUser[];
  if (!Array.isArray(users)) at(["given", "users"], "users must be a list");
  else
    users.forEach((u, i) => {
      if (!isObject(u) || typeof u.login !== "string") at(["given", "users", i], "a user needs a login");
      else if (u.roles !== undefined && !Array.isArray(u.roles)) at(["given", "users", i, "roles"], "roles is a list");
      else
        for (const k of Object.keys(u))
          if (!USER_KEYS.includes(k)) at(["given", "users", i, k], `unknown key (use ${USER_KEYS.join(", ")})`);
    });
  const records = (g.records ?? {}) as Scenario["records"];
  if (!isObject(records)) at(["given", "records"], "records is a mapping: entity → name → field values");
  else
    for (const [entity, named] of Object.entries(records))
      if (!isObject(named)) at(["given", "records", entity], "a mapping of names to field values");
      else
        for (const [name, fields] of Object.entries(named))
          if (!isObject(fields)) at(["given", "records", entity, name], "field values must be a mapping");
  if (value.variables !== undefined && !isObject(value.variables)) at(["variables"], "variables must be a mapping");
  const steps: ScenarioStep[] = [];
  if (!Array.isArray(value.steps) || !value.steps.length) at(["steps"], "a scenario needs a list of steps");
  else
    value.steps.forEach((raw, i) => {
      const step = checkStep(raw, (p, m) => at(["steps", i, ...p], m));
      const node = doc.getIn(["steps", i], true) as { range?: [number, number] } | undefined;
      if (step) steps.push({ ...step, line: node?.range ? lines.linePos(node.range[0]).line : undefined });
    });
  if (problems.length) return { problems };
  return {
    scenario: {
      file,
      name: String(value.name),
      clock,
      users: Array.isArray(users) ? users : [],
      records: isObject(records) ? records : {},
      variables: (value.variables as Record<string, unknown> | undefined) ?? {},
      steps,
    },
    problems,
  };
}

function checkStep(
  raw: unknown,
  bad: (path: Array<string | number>, message: string) => void,
): ScenarioStep | undefined {
  if (!isObject(raw)) {
    bad([], "a step is a mapping such as {complete: task, as: user}");
    return undefined;
  }
  const kinds = Object.keys(raw).filter((k) => k in STEP_KEYS) as StepKind[];
  if (kinds.length !== 1) {
    const first = Object.keys(raw)[0] ?? "";
    bad(
      kinds.length ? [kinds[1]] : [],
      kinds.length
        ? `a step has one kind, not ${kinds.join(" and ")}`
        : `unknown step kind "${first}" (use ${Object.keys(STEP_KEYS).join(", ")})`,
    );
    return undefined;
  }
  const kind = kinds[0];
  for (const k of Object.keys(raw))
    if (k !== kind && !STEP_KEYS[kind].includes(k))
      bad([k], `unknown key for a ${kind} step${STEP_KEYS[kind].length ? ` (use ${STEP_KEYS[kind].join(", ")})` : ""}`);
  const main = raw[kind];
  if (kind === "advance" && parseAdvance(new Date(0), String(main)) === undefined)
    bad([kind], `"${main}" is not a duration (e.g. 30m, 24h, 7d, 1d12h, P1M)`);
  if (kind === "expect") {
    if (!isObject(main)) bad([kind], "expect is a mapping of what to check");
    else
      for (const k of Object.keys(main))
        if (!k.startsWith("$") && !EXPECT_KEYS.includes(k))
          bad([kind, k], `cannot check "${k}" (use $<record>, ${EXPECT_KEYS.join(", ")})`);
  } else if (kind !== "advance" && (typeof main !== "string" || !main))
    bad(
      [kind],
      `${kind} needs ${kind === "update" ? "a $record" : kind === "create" ? "an entity" : kind === "start" ? "a workflow key" : "a task (element id or name)"}`,
    );
  if (kind === "delegate" && typeof raw.to !== "string") bad([], "delegate needs to: <login>");
  for (const k of ["values", "variables", "with"])
    if (raw[k] !== undefined && !isObject(raw[k])) bad([k], `${k} must be a mapping`);
  return { ...raw, kind };
}

/** Every scenario of a list of files, or the problems of the files that are wrong. */
export function readScenarioFiles(files: string[]): { scenarios: Scenario[]; problems: FileProblem[] } {
  const scenarios: Scenario[] = [];
  const problems: FileProblem[] = [];
  for (const file of files) {
    const r = readScenarioFile(file);
    problems.push(...r.problems);
    if (r.scenario) scenarios.push(r.scenario);
  }
  return { scenarios, problems };
}
