import { formatFileProblem } from "../apps/read-entity-files";
import type { EngineContext } from "../engine-context";
import { applyDashboardFiles } from "../reports/apply-dashboard-files";
import { type CliIo, writeLines } from "./cli-io";

/** The dashboard step of `kehu apply`: `<dir>/dashboards/*.dashboard.yaml` once entities are in force; 1 when wrong. */
export async function applyDashboardsStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  const r = await applyDashboardFiles(ctx.db.knex, ctx.registry, folder, actor);
  if (r.problems.length) {
    writeLines(
      io.stderr,
      ...r.problems.map((p) => formatFileProblem({ ...p, file: show(p.file) })),
      `${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} in dashboard files; no report was saved.`,
    );
    return 1;
  }
  const { reports: rp, dashboards: db } = r;
  if (rp.created + rp.changed + rp.unchanged > 0)
    writeLines(
      io.stdout,
      `Reports: ${rp.created} created, ${rp.changed} changed, ${rp.unchanged} unchanged; ` +
        `dashboards: ${db.created} created, ${db.changed} changed, ${db.unchanged} unchanged.`,
    );
  return 0;
}
