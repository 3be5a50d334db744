import type { Knex } from "knex";
import { readDashboardFiles } from "../apps/read-dashboard-files";
import type { FileProblem } from "../apps/read-entity-files";
import type { MetadataRegistry } from "../metadata/registry";
import { dashboardIssues, saveDashboard } from "./dashboard-store";
import { reportDefinitionIssues } from "./report-definition";
import { saveReport } from "./report-store";

/** What applying an app's dashboard files did, or the problems that stopped it (then nothing was written). */
export interface DashboardFilesResult {
  reports: { created: number; changed: number; unchanged: number };
  dashboards: { created: number; changed: number; unchanged: number };
  problems: FileProblem[];
}

/**
 * Saves the reports and dashboards of `<dir>/dashboards/*.dashboard.yaml`, once the entities are in force. Every
 * report is checked against the metadata first, and any problem (named by file and path) stops all of them; the
 * writes then happen in one transaction. Equal definitions are left alone, so applying twice changes nothing.
 */
export async function applyDashboardFiles(
  knex: Knex,
  registry: MetadataRegistry,
  dir: string,
  actor: string,
  opts: { dryRun?: boolean } = {},
): Promise<DashboardFilesResult> {
  const result: DashboardFilesResult = {
    reports: { created: 0, changed: 0, unchanged: 0 },
    dashboards: { created: 0, changed: 0, unchanged: 0 },
    problems: [],
  };
  const { files, problems } = readDashboardFiles(dir);
  result.problems.push(...problems);
  const reports: unknown[] = [];
  const defined = new Set<string>();
  const dashboards: Array<{ file: string; value: unknown }> = [];
  for (const { file, key, value } of files) {
    const items = Array.isArray(value.reports) ? value.reports : [];
    for (const [i, item] of items.entries()) {
      if (typeof item === "string") continue;
      for (const issue of await reportDefinitionIssues(knex, registry, item))
        result.problems.push({ file, ...issue, path: `/reports/${i}${issue.path}` });
      const reportKey = (item as { key?: unknown } | null)?.key;
      if (typeof reportKey === "string") {
        if (defined.has(reportKey))
          result.problems.push({ file, path: `/reports/${i}/key`, message: `report "${reportKey}" is defined twice` });
        defined.add(reportKey);
      }
      reports.push(item);
    }
    const keys = items.map((item) => (typeof item === "string" ? item : (item as { key?: unknown } | null)?.key));
    dashboards.push({ file, value: { ...value, key, reports: Array.isArray(value.reports) ? keys : value.reports } });
  }
  for (const { file, value } of dashboards)
    for (const issue of await dashboardIssues(knex, value, defined)) result.problems.push({ file, ...issue });
  if (result.problems.length || opts.dryRun) return result;
  await knex.transaction(async (trx) => {
    for (const report of reports) {
      const saved = await saveReport(trx, registry, report, actor);
      result.reports[saved.created ? "created" : saved.changed ? "changed" : "unchanged"]++;
    }
    for (const { value } of dashboards) {
      const saved = await saveDashboard(trx, value, actor);
      result.dashboards[saved.created ? "created" : saved.changed ? "changed" : "unchanged"]++;
    }
  });
  return result;
}
