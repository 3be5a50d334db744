import { applyMatrixFiles } from "../apps/apply-matrix-files";
import type { EngineContext } from "../engine-context";
import { type CliIo, writeLines } from "./cli-io";
import { countsText, fileStepProblems, hasAny } from "./file-step-lines";

/** The approval-matrix step of `kehu apply`: `<dir>/workflows/*.matrix.yaml`, before the workflows; 1 when wrong. */
export async function applyMatricesStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  const r = await applyMatrixFiles(ctx.db.knex, ctx.registry, folder, actor);
  if (r.problems.length) return fileStepProblems(io, r.problems, show, "approval matrix", "no matrix was saved");
  if (hasAny(r)) writeLines(io.stdout, `${countsText("Approval matrices", r)}.`);
  return 0;
}
