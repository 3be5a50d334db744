import type { ChartType, DateBucket, ReportDefinition, ReportFunction } from "@kehu/client";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";

/** What the report builder's form holds. */
export interface BuilderState {
  key: string;
  labelEn: string;
  labelZh: string;
  entity: string;
  groups: Array<{ field: string; by?: DateBucket }>;
  measures: Array<{ fn: ReportFunction; field?: string; as?: string }>;
  chart: ChartType;
}

export const EMPTY_BUILDER: BuilderState = {
  key: "",
  labelEn: "",
  labelZh: "",
  entity: "",
  groups: [],
  measures: [{ fn: "count" }],
  chart: "bar",
};

const UNGROUPABLE = new Set(["money", "longtext", "json", "multienum"]);
const NUMERIC = new Set(["integer", "decimal", "money", "rollup"]);

/** Whether a field is a date, which groups by day, month, quarter or year. */
export function isDateField(field: FieldDefinition | undefined): boolean {
  const type = field?.type === "formula" ? field.resultType : field?.type;
  return type === "date" || type === "datetime";
}

/** Fields a report may group by: plain values and references, plus the owner and department of owned records. */
export function groupableFields(entity: EntityDefinition): string[] {
  const own = entity.ownership && entity.ownership !== "none" ? ["owner_id", "department_id"] : [];
  return [...entity.fields.filter((f) => !UNGROUPABLE.has(f.type)).map((f) => f.name), ...own];
}

/** Fields a sum, average, minimum or maximum can measure. */
export function measurableFields(entity: EntityDefinition): string[] {
  return entity.fields
    .filter((f) => NUMERIC.has(f.type) || (f.type === "formula" && ["integer", "decimal"].includes(f.resultType ?? "")))
    .map((f) => f.name);
}

/** The report definition the form describes; the chart plots the first group against every measure. */
export function builderDefinition(state: BuilderState): ReportDefinition {
  const label: ReportDefinition["label"] = {};
  if (state.labelEn.trim()) label.en = state.labelEn.trim();
  if (state.labelZh.trim()) label.zh = state.labelZh.trim();
  return {
    key: state.key.trim(),
    label,
    query: {
      entity: state.entity,
      groupBy: state.groups.filter((g) => g.field).map((g) => (g.by ? { field: g.field, by: g.by } : g.field)),
      measures: state.measures.map((m) => ({
        fn: m.fn,
        ...(m.fn !== "count" && m.field && { field: m.field }),
        ...(m.as?.trim() && { as: m.as.trim() }),
      })),
    },
    chart: { type: state.chart },
  };
}
