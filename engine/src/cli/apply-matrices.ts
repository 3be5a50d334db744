import { applyMatrixFiles } from "../apps/apply-matrix-files";
import { formatFileProblem } from "../apps/read-entity-files";
import type { EngineContext } from "../engine-context";
import { type CliIo, writeLines } from "./cli-io";

/** The approval-matrix step of `kehu apply`: `<dir>/workflows/*.matrix.yaml`, before the workflows; 1 when wrong. */
export async function applyMatricesStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  const r = await applyMatrixFiles(ctx.db.knex, ctx.registry, folder, actor);
  if (r.problems.length) {
    writeLines(
      io.stderr,
      ...r.problems.map((p) => formatFileProblem({ ...p, file: show(p.file) })),
      `${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} in approval matrix files; no matrix was saved.`,
    );
    return 1;
  }
  if (r.created + r.changed + r.unchanged > 0)
    writeLines(io.stdout, `Approval matrices: ${r.created} created, ${r.changed} changed, ${r.unchanged} unchanged.`);
  return 0;
}
