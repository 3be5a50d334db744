import type { EngineContext } from "../engine-context";
import { applyDashboardFiles } from "../reports/apply-dashboard-files";
import { type CliIo, writeLines } from "./cli-io";
import { countsText, fileStepProblems, hasAny } from "./file-step-lines";

/** The dashboard step of `kehu apply`: `<dir>/dashboards/*.dashboard.yaml` once entities are in force; 1 when wrong. */
export async function applyDashboardsStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  const r = await applyDashboardFiles(ctx.db.knex, ctx.registry, folder, actor);
  if (r.problems.length) return fileStepProblems(io, r.problems, show, "dashboard", "no report was saved");
  if (hasAny(r.reports))
    writeLines(io.stdout, `${countsText("Reports", r.reports)}; ${countsText("dashboards", r.dashboards)}.`);
  return 0;
}
