import { isAppError } from "@kehu/core";
import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { canonicalJson } from "../storage/canonical-json";
import { deployWorkflow } from "../workflow/deployments";
import { ServiceLibrary } from "../workflow/service-library";
import { createTrigger, type Trigger, triggerOf } from "../workflow/triggers";
import type { FileProblem } from "./read-entity-files";
import type { WorkflowFile, WorkflowTriggerSpec } from "./read-workflow-files";

/** What applying (or planning) a package's workflows does: per key, its deployment and its trigger changes. */
export interface WorkflowFilesResult {
  workflows: Array<{ key: string; version: number; change: "deployed" | "unchanged" }>;
  triggersAdded: Array<{ key: string; trigger: string }>;
  triggersRemoved: Array<{ key: string; trigger: string }>;
  problems: FileProblem[];
}

type TriggerShape = Omit<Trigger, "id" | "key" | "enabled">;

/** A declared trigger as `createTrigger` would store it (defaults filled in), for comparing with stored ones. */
function shapeOf(spec: WorkflowTriggerSpec): TriggerShape {
  const record = spec.kind === "record";
  return {
    kind: spec.kind,
    entity: record ? (spec.entity ?? null) : null,
    events: record ? (spec.events ?? ["create"]) : [],
    condition: record ? (spec.condition ?? null) : null,
    cron: record ? null : (spec.cron ?? null),
    variables: spec.variables ?? {},
  };
}

const sameShape = (t: TriggerShape) => canonicalJson([t.kind, t.entity, t.events, t.condition, t.cron, t.variables]);

/** One line describing a trigger: `record contract on create, update when status = 'signed'`, `schedule 0 8 1 * *`. */
export function describeTrigger(t: TriggerShape): string {
  if (t.kind === "schedule") return `schedule ${t.cron}`;
  return `record ${t.entity} on ${t.events.join(", ")}${t.condition ? ` when ${t.condition}` : ""}`;
}

/** Which stored triggers of a key to keep or remove, and which declared ones to add (matched one to one). */
function diffTriggers(stored: Trigger[], declared: WorkflowTriggerSpec[]) {
  const left = [...stored];
  const add: WorkflowTriggerSpec[] = [];
  for (const spec of declared) {
    const at = left.findIndex((t) => sameShape(t) === sameShape(shapeOf(spec)));
    if (at >= 0) left.splice(at, 1);
    else add.push(spec);
  }
  return { add, remove: left };
}

async function storedTriggers(knex: Knex, key: string): Promise<Trigger[]> {
  return (await knex("kehu.wf_triggers").where({ key }).orderBy("created_at")).map(triggerOf);
}

function unchanged(latest: Record<string, unknown> | undefined, f: WorkflowFile): boolean {
  return (
    latest !== undefined &&
    latest.xml === f.xml &&
    (latest.name ?? null) === (f.name ?? null) &&
    (latest.entity ?? null) === (f.entity ?? null)
  );
}

/** What `applyWorkflowFiles` would do, without checking or writing anything (for `kehu apply --dry-run`). */
export async function planWorkflowFiles(knex: Knex, files: WorkflowFile[]): Promise<WorkflowFilesResult> {
  const result: WorkflowFilesResult = { workflows: [], triggersAdded: [], triggersRemoved: [], problems: [] };
  for (const f of files) {
    const latest = await knex("kehu.wf_deployments").where({ key: f.key }).orderBy("version", "desc").first();
    const same = unchanged(latest, f);
    result.workflows.push({
      key: f.key,
      version: same ? latest.version : (latest?.version ?? 0) + 1,
      change: same ? "unchanged" : "deployed",
    });
    const { add, remove } = diffTriggers(await storedTriggers(knex, f.key), f.triggers);
    result.triggersAdded.push(...add.map((t) => ({ key: f.key, trigger: describeTrigger(shapeOf(t)) })));
    result.triggersRemoved.push(...remove.map((t) => ({ key: f.key, trigger: describeTrigger(t) })));
  }
  return result;
}

class FileFailure extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems[0]?.message);
  }
}

function problemsOf(error: unknown, file: string, prefix = ""): FileProblem[] {
  if (!isAppError(error)) throw error;
  if (!error.issues.length) return [{ file, message: error.message }];
  return error.issues.map((i) => ({ file, path: `${prefix}${i.path}`, message: i.message }));
}

/**
 * Deploys each workflow of a package (an unchanged XML is no new version) and makes the triggers of each of its keys
 * exactly the declared ones (none declared: none kept), all in one transaction: any refused BPMN or trigger (named by
 * file and path) leaves everything as it was. Applying the same files twice changes nothing.
 */
export async function applyWorkflowFiles(
  ctx: EngineContext,
  files: WorkflowFile[],
  actor: string,
): Promise<WorkflowFilesResult> {
  const result: WorkflowFilesResult = { workflows: [], triggersAdded: [], triggersRemoved: [], problems: [] };
  const deps = { library: ctx.workflows?.library ?? new ServiceLibrary(), registry: ctx.registry };
  try {
    await ctx.db.knex.transaction(async (trx) => {
      const problems: FileProblem[] = [];
      for (const f of files) {
        try {
          const body = {
            key: f.key,
            xml: f.xml,
            ...(f.name && { name: f.name }),
            ...(f.entity && { entity: f.entity }),
          };
          const { deployment, created } = await deployWorkflow(trx, deps, body, actor);
          result.workflows.push({
            key: f.key,
            version: deployment.version,
            change: created ? "deployed" : "unchanged",
          });
        } catch (e) {
          const entityProblem = isAppError(e) && e.issues.some((i) => i.path === "/entity");
          problems.push(...problemsOf(e, entityProblem && f.settingsFile ? f.settingsFile : f.file));
        }
      }
      if (problems.length) throw new FileFailure(problems);
      for (const f of files) {
        const { add, remove } = diffTriggers(await storedTriggers(trx, f.key), f.triggers);
        if (remove.length)
          await trx("kehu.wf_triggers")
            .whereIn(
              "id",
              remove.map((t) => t.id),
            )
            .del();
        result.triggersRemoved.push(...remove.map((t) => ({ key: f.key, trigger: describeTrigger(t) })));
        for (const spec of add) {
          try {
            await createTrigger(trx, ctx.registry, { ...spec, key: f.key });
            result.triggersAdded.push({ key: f.key, trigger: describeTrigger(shapeOf(spec)) });
          } catch (e) {
            problems.push(...problemsOf(e, f.settingsFile ?? f.file, `/triggers/${f.triggers.indexOf(spec)}`));
          }
        }
      }
      if (problems.length) throw new FileFailure(problems);
    });
  } catch (e) {
    if (!(e instanceof FileFailure)) throw e;
    return { workflows: [], triggersAdded: [], triggersRemoved: [], problems: e.problems };
  }
  if (result.triggersAdded.length || result.triggersRemoved.length) await ctx.jobs?.syncSchedules();
  return result;
}
