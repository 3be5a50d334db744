import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { APPROVAL_MATRIX_SCHEMA } from "../workflow/approval/approval-matrix";
import { schemaIssues } from "../workflow/schema-check";
import { type FileProblem, parseEntityText } from "./read-entity-files";

/** An approval matrix file: `<dir>/workflows/<key>.matrix.yaml`, saved as the matrix `<key>`. */
export const MATRIX_FILE_PATTERN = /^([a-z][a-z0-9_]{0,62})\.matrix\.ya?ml$/;

export interface MatrixFile {
  key: string;
  file: string;
  /** The matrix as the file states it, with `key` from the file name (checked against the database when saved). */
  definition: Record<string, unknown>;
}

function listFolder(folder: string): string[] {
  try {
    return statSync(folder).isDirectory() ? readdirSync(folder).sort() : [];
  } catch {
    return [];
  }
}

/**
 * Reads `<dir>/workflows/<key>.matrix.yaml`: the approval matrix schema (see approval-matrix.ts); `key` may be left
 * out (the file name gives it) and must equal the file name when given. Problems name the file and its line or path.
 */
export function readMatrixFiles(dir: string): { files: MatrixFile[]; problems: FileProblem[] } {
  const folder = join(dir, "workflows");
  const files: MatrixFile[] = [];
  const problems: FileProblem[] = [];
  for (const name of listFolder(folder)) {
    if (!/\.matrix\.ya?ml$/i.test(name)) continue;
    const file = join(folder, name);
    const key = MATRIX_FILE_PATTERN.exec(name)?.[1];
    if (!key) {
      problems.push({ file, message: "the file name is the matrix key: lower-case letters, digits or _" });
      continue;
    }
    const parsed = parseEntityText(file, readFileSync(file, "utf8"));
    if (parsed.problems.length) {
      problems.push(...parsed.problems);
      continue;
    }
    const value = parsed.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push({ file, path: "/", message: "must be a mapping (entity, amountField, tiers, ...)" });
      continue;
    }
    const definition = { key, ...(value as Record<string, unknown>) };
    if (definition.key !== key) {
      problems.push({ file, path: "/key", message: `must be "${key}" (the file name) or left out` });
      continue;
    }
    const shape = schemaIssues(APPROVAL_MATRIX_SCHEMA, definition);
    if (shape.length) {
      problems.push(...shape.map((i) => ({ file, path: i.path, message: i.message })));
      continue;
    }
    files.push({ key, file, definition });
  }
  return { files, problems };
}
