import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { type EntityDefinition, validateEntity } from "@kehu/schema";
import { parseDocument } from "yaml";

/** Entity files: `<name>.entity.yaml`, `.yml` or `.json`. */
export const ENTITY_FILE_PATTERN = /^([a-z][a-z0-9_]*)\.entity\.(ya?ml|json)$/;

/** One entity read from a file; `file` is the path as the caller named it (joined to the dir it gave). */
export interface EntityFile {
  file: string;
  definition: EntityDefinition;
}

/** One problem with one file: a syntax error (with line and column) or an invalid value (with its JSON pointer). */
export interface FileProblem {
  file: string;
  line?: number;
  col?: number;
  path?: string;
  message: string;
}

/** `file:line:col: message` or `file: /path: message`, one line. */
export function formatFileProblem(p: FileProblem): string {
  if (p.line !== undefined) return `${p.file}:${p.line}:${p.col ?? 1}: ${p.message}`;
  return p.path !== undefined ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** The entity files of an app folder: `<dir>/entities/*`, and `<dir>/*` for a folder of entity files, by name. */
export function findEntityFiles(dir: string): string[] {
  const found: string[] = [];
  for (const folder of [join(dir, "entities"), dir]) {
    let names: string[];
    try {
      if (!statSync(folder).isDirectory()) continue;
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names.sort()) if (ENTITY_FILE_PATTERN.test(name)) found.push(join(folder, name));
  }
  return found;
}

/** Parses one file's text (YAML, and so JSON); syntax errors come back as problems with line and column. */
export function parseEntityText(file: string, text: string): { value?: unknown; problems: FileProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length)
    return {
      problems: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0].line,
        col: e.linePos?.[0].col,
        message: e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  return { value: doc.toJS(), problems: [] };
}

/**
 * Reads and validates every entity file of an app folder. Problems name the file and the place in it;
 * `known` says which entities exist besides the files' own (for reference targets).
 */
export function readEntityFiles(
  dir: string,
  known: (name: string) => boolean = () => false,
): { files: EntityFile[]; problems: FileProblem[] } {
  try {
    if (!statSync(dir).isDirectory()) return { files: [], problems: [{ file: dir, message: "is not a directory" }] };
  } catch {
    return { files: [], problems: [{ file: dir, message: "no such directory" }] };
  }
  const paths = findEntityFiles(dir);
  if (!paths.length)
    return {
      files: [],
      problems: [
        {
          file: dir,
          message: `has no *.entity.yaml, *.entity.yml or *.entity.json files (looked in ${join(dir, "entities")} and ${dir})`,
        },
      ],
    };

  const parsed: Array<{ file: string; value: unknown }> = [];
  const problems: FileProblem[] = [];
  for (const file of paths) {
    const result = parseEntityText(file, readFileSync(file, "utf8"));
    problems.push(...result.problems);
    if (!result.problems.length) parsed.push({ file, value: result.value });
  }
  const names = new Set(parsed.map((p) => (p.value as { name?: unknown })?.name).filter((n) => typeof n === "string"));
  const seen = new Map<string, string>();
  const files: EntityFile[] = [];
  for (const { file, value } of parsed) {
    const issues = validateEntity(value, { entityExists: (n) => names.has(n) || known(n) });
    problems.push(...issues.map((i) => ({ file, path: i.path, message: i.message })));
    if (issues.length) continue;
    const definition = value as EntityDefinition;
    const expected = ENTITY_FILE_PATTERN.exec(basename(file))?.[1];
    if (definition.name !== expected) {
      problems.push({ file, path: "/name", message: `must match the file name ("${expected}")` });
      continue;
    }
    const other = seen.get(definition.name);
    if (other) {
      problems.push({
        file,
        path: "/name",
        message: `entity "${definition.name}" is also defined in ${relative(dir, other)}`,
      });
      continue;
    }
    seen.set(definition.name, file);
    files.push({ file, definition });
  }
  return { files, problems };
}
