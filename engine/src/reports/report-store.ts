import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { canonicalJson } from "../storage/canonical-json";
import { assertValidReport, type ReportDefinition } from "./report-definition";

/** A saved report as stored: its definition and who changed it last. */
export interface StoredReport {
  definition: ReportDefinition;
  updatedBy: string;
  updatedAt: string;
}

interface ReportRow {
  definition: ReportDefinition;
  updated_by: string;
  updated_at: string | Date;
}

const toStored = (r: ReportRow): StoredReport => ({
  definition: r.definition,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listReports(knex: Knex, entity?: string): Promise<StoredReport[]> {
  const q = knex("kehu.reports").orderBy("key");
  if (entity) q.whereRaw("definition->'query'->>'entity' = ?", [entity]);
  return (await q.select<ReportRow[]>("definition", "updated_by", "updated_at")).map(toStored);
}

export async function getReport(knex: Knex, key: string): Promise<StoredReport | undefined> {
  const row = await knex("kehu.reports").where({ key }).first<ReportRow | undefined>();
  return row && toStored(row);
}

export async function requireReport(knex: Knex, key: string): Promise<StoredReport> {
  const found = await getReport(knex, key);
  if (!found) throw new AppError("not_found", `No report "${key}"`);
  return found;
}

export function sameReport(a: ReportDefinition, b: ReportDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Creates or replaces a report after checking it against the metadata; says whether it was new or changed. */
export async function saveReport(
  knex: Knex,
  registry: MetadataRegistry,
  input: unknown,
  actor: string,
): Promise<{ report: ReportDefinition; created: boolean; changed: boolean }> {
  const report = await assertValidReport(knex, registry, input);
  const before = await getReport(knex, report.key);
  if (before && sameReport(before.definition, report)) return { report, created: false, changed: false };
  await knex("kehu.reports")
    .insert({ key: report.key, definition: JSON.stringify(report), updated_by: actor, updated_at: knex.fn.now() })
    .onConflict("key")
    .merge();
  return { report, created: !before, changed: Boolean(before) };
}

/** Deletes a report no dashboard shows; one that is shown is refused with the dashboards named. */
export async function deleteReport(knex: Knex, key: string): Promise<void> {
  const users = await knex("kehu.dashboards").whereRaw("definition->'reports' \\? ?", [key]).pluck("key");
  if (users.length)
    throw new AppError(
      "conflict",
      `Report "${key}" is shown on dashboard(s) ${users.join(", ")}; remove it there first`,
    );
  const gone = await knex("kehu.reports").where({ key }).delete().returning("key");
  if (!gone.length) throw new AppError("not_found", `No report "${key}"`);
}
