import { applyWorkflowFiles, planWorkflowFiles, type WorkflowFilesResult } from "../apps/apply-workflow-files";
import type { WorkflowFile } from "../apps/read-workflow-files";
import type { EngineContext } from "../engine-context";
import { type CliIo, writeLines } from "./cli-io";
import { fileStepProblems } from "./file-step-lines";

/** The plan lines of a package's workflows: a summary, then one line per workflow and per trigger change. */
export function workflowPlanLines(r: WorkflowFilesResult, dryRun: boolean): string[] {
  if (!r.workflows.length) return [];
  const deployed = r.workflows.filter((w) => w.change === "deployed").length;
  const verb = dryRun ? "to deploy" : "deployed";
  return [
    `Workflows: ${deployed} ${verb}, ${r.workflows.length - deployed} unchanged; triggers: ${r.triggersAdded.length} ${dryRun ? "to add" : "added"}, ${r.triggersRemoved.length} ${dryRun ? "to remove" : "removed"}.`,
    ...r.workflows.map((w) => `  ${w.key} v${w.version} ${w.change === "deployed" ? verb : "unchanged"}`),
    ...r.triggersAdded.map((t) => `  + trigger of ${t.key}: ${t.trigger}`),
    ...r.triggersRemoved.map((t) => `  - trigger of ${t.key}: ${t.trigger}`),
  ];
}

/** `kehu apply --dry-run`: what the workflow step would do (nothing is checked or written). */
export async function planWorkflowsStep(ctx: EngineContext, files: WorkflowFile[], io: CliIo): Promise<void> {
  writeLines(io.stdout, ...workflowPlanLines(await planWorkflowFiles(ctx.db.knex, files), true));
}

/** The workflow step of `kehu apply`, last (workflows read the entities); 1 when a BPMN or trigger is refused. */
export async function applyWorkflowsStep(
  ctx: EngineContext,
  files: WorkflowFile[],
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  if (!files.length) return 0;
  const r = await applyWorkflowFiles(ctx, files, actor);
  if (r.problems.length) return fileStepProblems(io, r.problems, show, "workflow", "no workflow was deployed");
  writeLines(io.stdout, ...workflowPlanLines(r, false));
  return 0;
}
