import { AppError } from "@kehu/core";
import { installAppAccess, readAppAccess } from "../../apps/app-access";
import { applyMatrixFiles } from "../../apps/apply-matrix-files";
import { applyWorkflowFiles } from "../../apps/apply-workflow-files";
import { findEntityFiles, formatFileProblem, readEntityFiles } from "../../apps/read-entity-files";
import { readWorkflowFiles } from "../../apps/read-workflow-files";
import type { EngineContext } from "../../engine-context";
import { applyFormFiles } from "../../forms/apply-form-files";
import { applyEntities } from "../../metadata/apply-entities";
import { applyDashboardFiles } from "../../reports/apply-dashboard-files";
import { applySyncFiles, hasSyncFolder } from "../../sync/apply-sync-files";
import { syncServicesOf } from "../../sync/sync-services";

/**
 * Applies an app package as `kehu apply` does, without seed data: its entities (if it has any), departments and roles,
 * forms and dashboards, approval matrices, sync connections and mappings, then its workflows with their triggers. Throws one AppError listing every problem as `file: path: message`.
 */
export async function installAppPackage(ctx: EngineContext, dir: string, actor: string): Promise<void> {
  const fail = (problems: Parameters<typeof formatFileProblem>[0][]) => {
    throw new AppError("validation_failed", problems.map((p) => formatFileProblem(p)).join("\n"));
  };
  if (findEntityFiles(dir).length) {
    const { files, problems } = readEntityFiles(dir, () => true);
    if (problems.length) fail(problems);
    await applyEntities(
      ctx,
      files.map((f) => f.definition),
      { actor, confirm: true },
    );
  }
  await installAppAccess(ctx, readAppAccess(dir));
  const forms = await applyFormFiles(ctx, dir, actor);
  if (forms.problems.length) fail(forms.problems);
  const dashboards = await applyDashboardFiles(ctx.db.knex, ctx.registry, dir, actor);
  if (dashboards.problems.length) fail(dashboards.problems);
  const matrices = await applyMatrixFiles(ctx.db.knex, ctx.registry, dir, actor);
  if (matrices.problems.length) fail(matrices.problems);
  if (hasSyncFolder(dir)) await applySyncFiles(syncServicesOf(ctx), dir);
  const workflows = readWorkflowFiles(dir);
  if (workflows.problems.length) fail(workflows.problems);
  const applied = await applyWorkflowFiles(ctx, workflows.files, actor);
  if (applied.problems.length) fail(applied.problems);
}
