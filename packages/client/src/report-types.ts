import type { Problem } from "@kehu/core";

export type ReportLabel = { en?: string; zh?: string };
export type ReportFunction = "count" | "sum" | "avg" | "min" | "max";
export type DateBucket = "day" | "month" | "quarter" | "year";
export type ChartType = "table" | "bar" | "line" | "pie" | "funnel";

/** A grouped, measured question about one entity, as `POST /api/reports/query` takes it. */
export interface ReportQuery {
  entity: string;
  filter?: unknown;
  search?: string;
  groupBy?: Array<string | { field: string; by: DateBucket }>;
  measures: Array<{ fn: ReportFunction; field?: string; as?: string }>;
  /** `base` (the default) or an ISO currency code that money measures convert to. */
  currency?: string;
  rateDate?: string;
  sort?: string;
  limit?: number;
}

/** How a report is drawn: `x` is a group output, `series` the measures plotted (all when absent). */
export interface ChartSpec {
  type: ChartType;
  x?: string;
  series?: string[];
}

export interface ReportDefinition {
  key: string;
  label: ReportLabel;
  description?: ReportLabel;
  query: ReportQuery;
  chart?: ChartSpec;
}

export interface SavedReport {
  definition: ReportDefinition;
  updatedBy: string;
  updatedAt: string;
}

/**
 * One row of a report: group keys are strings or numbers, reference/owner/department groups `{id, title}`, sums of
 * money and decimals decimal strings, counts numbers.
 */
export type ReportRow = Record<string, unknown>;

export interface ReportResult {
  rows: ReportRow[];
  /** The currency of every money measure. */
  currency: string;
  /** The compiled SQL and its bindings (administrators, with `explain`). */
  sql?: string;
  bindings?: unknown[];
}

export interface DashboardDefinition {
  key: string;
  label: ReportLabel;
  reports: string[];
}

export interface SavedDashboard {
  definition: DashboardDefinition;
  updatedBy: string;
  updatedAt: string;
}

/** One report of a dashboard: its rows, or the problem that spoiled it (the others still show). */
export type DashboardReport =
  | ({ key: string; report: ReportDefinition } & ReportResult & { problem?: undefined })
  | { key: string; report?: ReportDefinition; problem: Problem };

export interface DashboardData {
  dashboard: DashboardDefinition;
  reports: DashboardReport[];
}
