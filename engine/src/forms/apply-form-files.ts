import type { FormDefinition } from "@kehu/schema";
import type { FileProblem } from "../apps/read-entity-files";
import { readFormFiles } from "../apps/read-form-files";
import type { EngineContext } from "../engine-context";
import { formIssues, getForm, sameForm, saveForm } from "./form-store";

/** What applying an app's form files did, or the problems that stopped it (then nothing was written). */
export interface FormFilesResult {
  created: number;
  changed: number;
  unchanged: number;
  problems: FileProblem[];
}

/**
 * Creates or replaces the forms of `<dir>/forms/*.form.json`, once its entities and roles are in force. Every
 * file is checked first; any problem (named by file and path) stops all of them. Equal forms are left alone.
 * `merged` (an app upgrade) gives what to store for each file's form instead: the file merged with local edits,
 * or undefined to leave the form alone (deleted locally).
 */
export async function applyFormFiles(
  ctx: EngineContext,
  dir: string,
  actor: string,
  merged?: (form: FormDefinition) => FormDefinition | undefined,
): Promise<FormFilesResult> {
  const result: FormFilesResult = { created: 0, changed: 0, unchanged: 0, problems: [] };
  const read = readFormFiles(dir);
  const problems = read.problems;
  const files = read.files.flatMap((f) => {
    const value = merged ? merged(f.value) : f.value;
    return value ? [{ file: f.file, value }] : [];
  });
  result.problems.push(...problems);
  for (const { file, value } of files)
    for (const issue of await formIssues(ctx, value)) result.problems.push({ file, ...issue });
  if (result.problems.length) return result;
  for (const { value } of files) {
    const stored = await getForm(ctx.db.knex, value.entity, value.name);
    if (stored && sameForm(stored.definition, value)) result.unchanged++;
    else {
      await saveForm(ctx, value, { actor });
      result[stored ? "changed" : "created"]++;
    }
  }
  return result;
}
