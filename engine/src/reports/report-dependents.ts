import type { Dependent, DependentSource } from "../metadata/dependents";
import { filterNames } from "../security/field-access";
import type { ReportDefinition } from "./report-definition";
import { listReports } from "./report-store";

/** The fields a report reads (groups, measures, filter, rate date), each without a `.amount`/`.currency` part. */
export function reportFields(report: ReportDefinition): Set<string> {
  const q = report.query;
  const names = [
    ...(q.groupBy ?? []).map((g) => (typeof g === "string" ? g : g.field)),
    ...q.measures.flatMap((m) => (m.field ? [m.field] : [])),
    ...filterNames(q.filter, "").map((f) => f.name),
    ...(q.rateDate && !["created_at", "updated_at"].includes(q.rateDate) ? [q.rateDate] : []),
  ];
  return new Set(names.map((n) => n.split(".")[0]));
}

/** Saved reports as dependants: dropping a field a report reads, or its entity, names the report. */
export const reportDependents: DependentSource = async (knex) => {
  const found: Dependent[] = [];
  for (const { definition: report } of await listReports(knex)) {
    const entity = report.query.entity;
    found.push({ kind: "report", id: report.key, label: `report "${report.key}" reads ${entity}`, entity });
    for (const field of reportFields(report))
      found.push({
        kind: "report",
        id: `${report.key}/${field}`,
        label: `report "${report.key}" reads ${entity}.${field}`,
        entity,
        field,
      });
  }
  return found;
};
