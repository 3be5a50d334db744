import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { FormDefinition } from "@kehu/schema";
import type { FileProblem } from "./read-entity-files";

/** Form files: `<dir>/forms/<name>.form.json`. */
export const FORM_FILE_PATTERN = /^([a-z][a-z0-9_]*)\.form\.json$/;

/** One form read from a file (not yet checked against its entity). */
export interface FormFile {
  file: string;
  value: FormDefinition;
}

/** The form files of an app folder, by name; none when it has no `forms` folder. */
export function findFormFiles(dir: string): string[] {
  const folder = join(dir, "forms");
  try {
    if (!statSync(folder).isDirectory()) return [];
    return readdirSync(folder)
      .filter((n) => FORM_FILE_PATTERN.test(n))
      .sort()
      .map((n) => join(folder, n));
  } catch {
    return [];
  }
}

/**
 * Reads the form files of an app folder: JSON syntax errors are problems of their file, and so is a form whose
 * `name` is not the file's name. Checks against the entities are the caller's (`formIssues`), once they exist.
 */
export function readFormFiles(dir: string): { files: FormFile[]; problems: FileProblem[] } {
  const files: FormFile[] = [];
  const problems: FileProblem[] = [];
  for (const file of findFormFiles(dir)) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      problems.push({ file, message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const expected = FORM_FILE_PATTERN.exec(basename(file))?.[1];
    const name = (value as { name?: unknown } | null)?.name;
    if (name !== expected) {
      problems.push({ file, path: "/name", message: `must match the file name ("${expected}")` });
      continue;
    }
    files.push({ file, value: value as FormDefinition });
  }
  return { files, problems };
}
