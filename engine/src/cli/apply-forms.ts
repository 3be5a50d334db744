import type { FormDefinition } from "@kehu/schema";
import type { EngineContext } from "../engine-context";
import { applyFormFiles } from "../forms/apply-form-files";
import { type CliIo, writeLines } from "./cli-io";
import { countsText, fileStepProblems, hasAny } from "./file-step-lines";

/** The form step of `kehu apply`: after entities and roles, `<dir>/forms/*.form.json`; 1 when a file is wrong. */
export async function applyFormsStep(
  ctx: EngineContext,
  folder: string,
  actor: string,
  io: CliIo,
  show: (file: string) => string,
  merged?: (form: FormDefinition) => FormDefinition | undefined,
): Promise<number> {
  const r = await applyFormFiles(ctx, folder, actor, merged);
  if (r.problems.length) return fileStepProblems(io, r.problems, show, "form", "no form was applied");
  if (hasAny(r)) writeLines(io.stdout, `${countsText("Forms", r)}.`);
  return 0;
}
