import type { ReportDefinition, ReportQuery, ReportRow } from "@kehu/client";

/** The output columns of a report query, as the engine names them: groups first, then measures. */
export function reportOutputs(query: ReportQuery): { groups: string[]; measures: string[] } {
  const groups = (query.groupBy ?? []).map((g) => (typeof g === "string" ? g : `${g.field}_${g.by}`));
  const measures = query.measures.map((m) => m.as ?? (m.field ? `${m.fn}_${m.field.replace(".", "_")}` : m.fn));
  return { groups, measures };
}

/** A cell as text: a reference group shows its title (its id when the caller may not read the title). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") {
    const v = value as { id?: unknown; title?: unknown };
    if ("id" in v) return String(v.title ?? v.id ?? "—");
    return JSON.stringify(value);
  }
  return String(value);
}

/** A measure as a number for the chart; sums come as decimal strings. */
function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Whether a report is drawn as a chart (a table-only or chartless report is not). */
export function hasChart(report: ReportDefinition): boolean {
  return Boolean(report.chart && report.chart.type !== "table");
}

/**
 * The echarts option of a report's rows: categories from the chart's `x` (else the first group), one series per
 * measure in `series` (else all). Pie and funnel draw the first series only, a slice per row. Undefined for tables.
 */
export function chartOption(report: ReportDefinition, rows: ReportRow[]): Record<string, unknown> | undefined {
  const chart = report.chart;
  if (!chart || chart.type === "table") return undefined;
  const { groups, measures } = reportOutputs(report.query);
  const x = chart.x ?? groups[0];
  const series = chart.series?.length ? chart.series : measures;
  const category = (row: ReportRow) => (x ? cellText(row[x]) : "");
  if (chart.type === "pie" || chart.type === "funnel") {
    const measure = series[0];
    return {
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0 },
      series: [
        {
          type: chart.type,
          name: measure,
          ...(chart.type === "pie" ? { radius: "60%" } : { sort: "descending", top: 10, bottom: 40 }),
          data: rows.map((row) => ({ name: category(row), value: toNumber(row[measure]) })),
        },
      ],
    };
  }
  return {
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: rows.map(category), axisLabel: { hideOverlap: true } },
    yAxis: { type: "value" },
    series: series.map((s) => ({ type: chart.type, name: s, data: rows.map((row) => toNumber(row[s])) })),
  };
}
