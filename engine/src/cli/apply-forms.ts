import { formatFileProblem } from "../apps/read-entity-files";
import type { EngineContext } from "../engine-context";
import { applyFormFiles } from "../forms/apply-form-files";
import { type CliIo, writeLines } from "./cli-io";

/** The form step of `kehu apply`: after entities and roles, `<dir>/forms/*.form.json`; 1 when a file is wrong. */
export async function applyFormsStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
): Promise<number> {
  const r = await applyFormFiles(ctx, folder, actor);
  if (r.problems.length) {
    writeLines(
      io.stderr,
      ...r.problems.map((p) => formatFileProblem({ ...p, file: show(p.file) })),
      `${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} in form files; no form was applied.`,
    );
    return 1;
  }
  if (r.created + r.changed + r.unchanged > 0)
    writeLines(io.stdout, `Forms: ${r.created} created, ${r.changed} changed, ${r.unchanged} unchanged.`);
  return 0;
}
