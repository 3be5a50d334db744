import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expressionIssues } from "../expressions/compile-expression";
import { cronProblem } from "../jobs/cron-problem";
import { type FileProblem, parseEntityText } from "./read-entity-files";

/** A workflow file: `<dir>/workflows/<key>.bpmn`, deployed under `<key>`. */
export const WORKFLOW_FILE_PATTERN = /^([a-z][a-z0-9_-]{0,62})\.bpmn$/;

/** A trigger as a package declares it: the trigger API body without `key` (the workflow's own). */
export interface WorkflowTriggerSpec {
  kind: "record" | "schedule";
  entity?: string;
  events?: Array<"create" | "update">;
  condition?: string;
  cron?: string;
  variables?: Record<string, unknown>;
}

/** One workflow of a package: its BPMN and what `<key>.workflow.yaml` says of it (all optional). */
export interface WorkflowFile {
  key: string;
  /** The .bpmn file. */
  file: string;
  /** The .workflow.yaml file, when there is one. */
  settingsFile?: string;
  xml: string;
  name?: string;
  entity?: string;
  triggers: WorkflowTriggerSpec[];
}

const SETTINGS_KEYS = ["name", "entity", "triggers"];
const TRIGGER_KEYS = ["kind", "entity", "events", "condition", "cron", "variables"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function listWorkflowFolder(dir: string): string[] {
  const folder = join(dir, "workflows");
  try {
    return statSync(folder).isDirectory() ? readdirSync(folder).sort() : [];
  } catch {
    return [];
  }
}

function triggerProblems(t: unknown, path: string): Array<{ path: string; message: string }> {
  if (!isObject(t)) return [{ path, message: "a trigger must be a mapping (kind: record | schedule, ...)" }];
  const out: Array<{ path: string; message: string }> = [];
  const bad = (p: string, message: string) => out.push({ path: `${path}/${p}`, message });
  for (const k of Object.keys(t))
    if (k === "key") bad(k, "a package trigger starts its own workflow; the key comes from the file name");
    else if (!TRIGGER_KEYS.includes(k)) bad(k, `unknown property (use ${TRIGGER_KEYS.join(", ")})`);
  if (t.kind === "record") {
    if (typeof t.entity !== "string") bad("entity", "a record trigger names its entity");
    const events = t.events ?? ["create"];
    if (!Array.isArray(events) || !events.length || !events.every((e) => e === "create" || e === "update"))
      bad("events", "events must be a non-empty list of create, update");
    if (t.condition !== undefined && typeof t.condition !== "string") bad("condition", "condition must be text");
    if (typeof t.condition === "string") out.push(...expressionIssues(t.condition, `${path}/condition`));
    if (t.cron !== undefined) bad("cron", "only schedule triggers have a cron");
  } else if (t.kind === "schedule") {
    const problem = cronProblem(String(t.cron ?? ""));
    if (problem) bad("cron", `cron ${problem}`);
    for (const k of ["entity", "events", "condition"]) if (t[k] !== undefined) bad(k, "only record triggers have this");
  } else bad("kind", "kind must be record or schedule");
  if (t.variables !== undefined && !isObject(t.variables)) bad("variables", "variables must be a mapping");
  return out;
}

/** Checks a parsed `.workflow.yaml`; problems carry JSON pointers into it. */
function settingsProblems(value: unknown): Array<{ path: string; message: string }> {
  if (value === null || value === undefined) return [];
  if (!isObject(value)) return [{ path: "/", message: "must be a mapping with name, entity, triggers" }];
  const out: Array<{ path: string; message: string }> = [];
  for (const k of Object.keys(value))
    if (!SETTINGS_KEYS.includes(k))
      out.push({ path: `/${k}`, message: "unknown property (use name, entity, triggers)" });
  if (value.name !== undefined && typeof value.name !== "string") out.push({ path: "/name", message: "must be text" });
  if (value.entity !== undefined && (typeof value.entity !== "string" || !/^[a-z][a-z0-9_]*$/.test(value.entity)))
    out.push({ path: "/entity", message: "must be an entity name" });
  if (value.triggers !== undefined) {
    if (!Array.isArray(value.triggers)) out.push({ path: "/triggers", message: "must be a list" });
    else for (const [i, t] of value.triggers.entries()) out.push(...triggerProblems(t, `/triggers/${i}`));
  }
  return out;
}

/**
 * Reads `<dir>/workflows/<key>.bpmn` and each optional `<key>.workflow.yaml` (name, entity, triggers). Every problem
 * names its file (and line or JSON pointer); the BPMN itself is checked when it is deployed. No folder: no workflows.
 */
export function readWorkflowFiles(dir: string): { files: WorkflowFile[]; problems: FileProblem[] } {
  const names = listWorkflowFolder(dir);
  const folder = join(dir, "workflows");
  const files: WorkflowFile[] = [];
  const problems: FileProblem[] = [];
  const keys = new Set<string>();
  for (const name of names) {
    if (!/\.bpmn$/i.test(name)) continue;
    const file = join(folder, name);
    const key = WORKFLOW_FILE_PATTERN.exec(name)?.[1];
    if (!key) {
      problems.push({ file, message: "the file name is the workflow key: lower-case letters, digits, _ or -" });
      continue;
    }
    keys.add(key);
    const workflow: WorkflowFile = { key, file, xml: readFileSync(file, "utf8"), triggers: [] };
    const settingsName = names.find((n) => n === `${key}.workflow.yaml` || n === `${key}.workflow.yml`);
    if (settingsName) {
      const settingsFile = join(folder, settingsName);
      const parsed = parseEntityText(settingsFile, readFileSync(settingsFile, "utf8"));
      const found = parsed.problems.length
        ? parsed.problems
        : settingsProblems(parsed.value).map((p) => ({ file: settingsFile, ...p }));
      if (found.length) {
        problems.push(...found);
        continue;
      }
      const settings = (parsed.value ?? {}) as { name?: string; entity?: string; triggers?: WorkflowTriggerSpec[] };
      Object.assign(workflow, {
        settingsFile,
        name: settings.name,
        entity: settings.entity,
        triggers: settings.triggers ?? [],
      });
    }
    files.push(workflow);
  }
  for (const name of names) {
    const key = /^(.+)\.workflow\.ya?ml$/.exec(name)?.[1];
    if (key && !keys.has(key))
      problems.push({ file: join(folder, name), message: `there is no ${key}.bpmn beside it` });
  }
  return { files, problems };
}
