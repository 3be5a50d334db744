import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { type FileProblem, parseEntityText } from "./read-entity-files";

/** Dashboard files: `<dir>/dashboards/<key>.dashboard.yaml` (or `.yml`, `.json`). */
export const DASHBOARD_FILE_PATTERN = /^([a-z][a-z0-9_]*)\.dashboard\.(ya?ml|json)$/;

/**
 * One dashboard file, not yet checked: `label`, and `reports` — each a whole report definition (`key`, `label`,
 * `query`, `chart`) or the key of a report another dashboard file defines.
 */
export interface DashboardFile {
  file: string;
  key: string;
  value: Record<string, unknown>;
}

export function findDashboardFiles(dir: string): string[] {
  const folder = join(dir, "dashboards");
  try {
    if (!statSync(folder).isDirectory()) return [];
    return readdirSync(folder)
      .filter((n) => DASHBOARD_FILE_PATTERN.test(n))
      .sort()
      .map((n) => join(folder, n));
  } catch {
    return [];
  }
}

/** Reads an app folder's dashboard files; syntax errors and non-objects are problems of their file. */
export function readDashboardFiles(dir: string): { files: DashboardFile[]; problems: FileProblem[] } {
  const files: DashboardFile[] = [];
  const problems: FileProblem[] = [];
  for (const file of findDashboardFiles(dir)) {
    const parsed = parseEntityText(file, readFileSync(file, "utf8"));
    problems.push(...parsed.problems);
    if (parsed.problems.length) continue;
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      problems.push({ file, message: "must hold a dashboard (label, reports)" });
      continue;
    }
    const key = DASHBOARD_FILE_PATTERN.exec(basename(file))?.[1] as string;
    files.push({ file, key, value: parsed.value as Record<string, unknown> });
  }
  return { files, problems };
}
