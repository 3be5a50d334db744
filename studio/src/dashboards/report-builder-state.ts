import type { ChartType, DateBucket, ReportDefinition, ReportFunction } from "@kehu/client";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { EMPTY_FILTER, type FilterState, toFilterAst } from "../data/filter-ast";
import { fromFilterAst } from "../data/filter-from-ast";

/** What the report builder's form holds. */
export interface BuilderState {
  key: string;
  labelEn: string;
  labelZh: string;
  entity: string;
  groups: Array<{ field: string; by?: DateBucket }>;
  measures: Array<{ fn: ReportFunction; field?: string; as?: string }>;
  chart: ChartType;
  /** The filter as builder rows (the same builder as list views). */
  filter: FilterState;
  /** A saved filter the rows cannot show (deeper nesting), kept whole until the admin clears it. */
  keptFilter?: unknown;
  /** The saved report being edited: its query and chart options the form does not show are kept. */
  base?: ReportDefinition;
}

export const EMPTY_BUILDER: BuilderState = {
  key: "",
  labelEn: "",
  labelZh: "",
  entity: "",
  groups: [],
  measures: [{ fn: "count" }],
  chart: "bar",
  filter: EMPTY_FILTER,
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

/** The form holding a saved report, to edit it; its filter as builder rows when they can show it. */
export function builderStateOf(report: ReportDefinition, entity: EntityDefinition | undefined): BuilderState {
  const q = report.query;
  const filter = entity ? fromFilterAst(entity.fields, q.filter) : undefined;
  return {
    key: report.key,
    labelEn: report.label?.en ?? "",
    labelZh: report.label?.zh ?? "",
    entity: q.entity,
    groups: (q.groupBy ?? []).map((g) => (typeof g === "string" ? { field: g } : { field: g.field, by: g.by })),
    measures: q.measures.map((m) => ({ fn: m.fn, field: m.field, as: m.as })),
    chart: report.chart?.type ?? "bar",
    filter: filter ?? EMPTY_FILTER,
    ...(filter === undefined && q.filter !== undefined && { keptFilter: q.filter }),
    base: report,
  };
}

/**
 * The report definition the form describes; the chart plots the first group against every measure. With the
 * entity's fields, the filter rows become the query's filter.
 */
export function builderDefinition(state: BuilderState, fields: FieldDefinition[] = []): ReportDefinition {
  const filter = state.keptFilter ?? toFilterAst(fields, state.filter);
  const label: ReportDefinition["label"] = {};
  if (state.labelEn.trim()) label.en = state.labelEn.trim();
  if (state.labelZh.trim()) label.zh = state.labelZh.trim();
  return {
    key: state.key.trim(),
    label,
    query: {
      ...withoutFilter(state.base?.query),
      entity: state.entity,
      ...(filter !== undefined && { filter }),
      groupBy: state.groups.filter((g) => g.field).map((g) => (g.by ? { field: g.field, by: g.by } : g.field)),
      measures: state.measures.map((m) => ({
        fn: m.fn,
        ...(m.fn !== "count" && m.field && { field: m.field }),
        ...(m.as?.trim() && { as: m.as.trim() }),
      })),
    },
    chart: { ...state.base?.chart, type: state.chart },
  };
}

function withoutFilter(query: ReportDefinition["query"] | undefined) {
  if (!query) return {};
  const { filter: _filter, ...rest } = query;
  return rest;
}
