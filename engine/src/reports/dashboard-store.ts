import { AppError, type Issue } from "@kehu/core";
import { ajvIssues, createAjv, labelSchema } from "@kehu/schema";
import type { Knex } from "knex";
import { canonicalJson } from "../storage/canonical-json";
import { KEY_PATTERN } from "./report-definition";

/** A dashboard: reports shown together, in order. */
export interface DashboardDefinition {
  key: string;
  label: { en?: string; zh?: string };
  reports: string[];
}

export interface StoredDashboard {
  definition: DashboardDefinition;
  updatedBy: string;
  updatedAt: string;
}

const dashboardSchema = {
  type: "object",
  properties: {
    key: { type: "string", pattern: KEY_PATTERN },
    label: labelSchema,
    reports: {
      type: "array",
      items: { type: "string", pattern: KEY_PATTERN },
      minItems: 1,
      maxItems: 24,
      uniqueItems: true,
    },
  },
  required: ["key", "label", "reports"],
  additionalProperties: false,
} as const;

const validate = createAjv().compile(dashboardSchema);

interface DashboardRow {
  definition: DashboardDefinition;
  updated_by: string;
  updated_at: string | Date;
}

const toStored = (r: DashboardRow): StoredDashboard => ({
  definition: r.definition,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Every problem of a dashboard: its shape, and reports it shows that are not saved (in `knex` or `pending`). */
export async function dashboardIssues(knex: Knex, input: unknown, pending: ReadonlySet<string> = new Set()) {
  if (!validate(input)) return ajvIssues(validate.errors);
  const dashboard = input as DashboardDefinition;
  const saved = new Set<string>(await knex("kehu.reports").whereIn("key", dashboard.reports).pluck("key"));
  const issues: Issue[] = [];
  dashboard.reports.forEach((key, i) => {
    if (!saved.has(key) && !pending.has(key)) issues.push({ path: `/reports/${i}`, message: `no report "${key}"` });
  });
  return issues;
}

export async function listDashboards(knex: Knex): Promise<StoredDashboard[]> {
  return (
    await knex("kehu.dashboards").orderBy("key").select<DashboardRow[]>("definition", "updated_by", "updated_at")
  ).map(toStored);
}

export async function requireDashboard(knex: Knex, key: string): Promise<StoredDashboard> {
  const row = await knex("kehu.dashboards").where({ key }).first<DashboardRow | undefined>();
  if (!row) throw new AppError("not_found", `No dashboard "${key}"`);
  return toStored(row);
}

/** Creates or replaces a dashboard whose reports are all saved; says whether it was new or changed. */
export async function saveDashboard(
  knex: Knex,
  input: unknown,
  actor: string,
): Promise<{ dashboard: DashboardDefinition; created: boolean; changed: boolean }> {
  const issues = await dashboardIssues(knex, input);
  if (issues.length) throw new AppError("validation_failed", `The dashboard has ${issues.length} problem(s)`, issues);
  const dashboard = input as DashboardDefinition;
  const before = await knex("kehu.dashboards").where({ key: dashboard.key }).first<DashboardRow | undefined>();
  if (before && canonicalJson(before.definition) === canonicalJson(dashboard))
    return { dashboard, created: false, changed: false };
  await knex("kehu.dashboards")
    .insert({ key: dashboard.key, definition: JSON.stringify(dashboard), updated_by: actor, updated_at: knex.fn.now() })
    .onConflict("key")
    .merge();
  return { dashboard, created: !before, changed: Boolean(before) };
}

export async function deleteDashboard(knex: Knex, key: string): Promise<void> {
  const gone = await knex("kehu.dashboards").where({ key }).delete().returning("key");
  if (!gone.length) throw new AppError("not_found", `No dashboard "${key}"`);
}
