import { AppError, type Issue } from "@kehu/core";
import { ajvIssues, createAjv, labelSchema } from "@kehu/schema";
import type { Knex } from "knex";
import { baseCurrency } from "../currency/currencies";
import type { MetadataRegistry } from "../metadata/registry";
import { type ReportRequest, reportRequestSchema } from "./report-request";
import { compileReport } from "./report-sql";
import { reportCurrency } from "./run-report";

export const CHART_TYPES = ["table", "bar", "line", "pie", "funnel"] as const;
export const KEY_PATTERN = "^[a-z][a-z0-9_]{0,63}$";

type Label = { en?: string; zh?: string };

/** How a report is drawn: `x` is a group output, `series` the measures plotted (all when absent). */
export interface ChartSpec {
  type: (typeof CHART_TYPES)[number];
  x?: string;
  series?: string[];
}

/** A saved report: a named report request, shared with everyone who may read its entity. */
export interface ReportDefinition {
  key: string;
  label: Label;
  description?: Label;
  query: ReportRequest;
  chart?: ChartSpec;
}

export const reportDefinitionSchema = {
  type: "object",
  properties: {
    key: { type: "string", pattern: KEY_PATTERN },
    label: labelSchema,
    description: labelSchema,
    query: reportRequestSchema,
    chart: {
      type: "object",
      properties: {
        type: { type: "string", enum: CHART_TYPES },
        x: { type: "string", maxLength: 100 },
        series: { type: "array", items: { type: "string", maxLength: 100 }, minItems: 1, maxItems: 20 },
      },
      required: ["type"],
      additionalProperties: false,
    },
  },
  required: ["key", "label", "query"],
  additionalProperties: false,
} as const;

const validate = createAjv().compile(reportDefinitionSchema);

/**
 * Every problem of a report definition, with paths into it: its shape, then its query compiled against the current
 * metadata (unknown fields, groups that cannot be grouped, an unknown currency), then the chart's outputs.
 */
export async function reportDefinitionIssues(knex: Knex, registry: MetadataRegistry, input: unknown): Promise<Issue[]> {
  if (!validate(input)) return ajvIssues(validate.errors);
  const report = input as ReportDefinition;
  const entity = registry.get(report.query.entity);
  if (!entity) return [{ path: "/query/entity", message: `unknown entity "${report.query.entity}"` }];
  let outputs: { key: string; role: string }[];
  try {
    const base = await baseCurrency(knex);
    const currency = await reportCurrency(knex, report.query.currency ?? "base", base);
    outputs = compileReport(entity, report.query, { hidden: new Set(), currency, base }).columns;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return (e.issues.length ? e.issues : [{ path: "", message: e.message }]).map((i) => ({
      ...i,
      path: `/query${i.path}`,
    }));
  }
  const issues: Issue[] = [];
  const keys = outputs.map((o) => o.key);
  const named = (path: string, key: string) => {
    if (!keys.includes(key))
      issues.push({ path, message: `"${key}" is not an output of the query (${keys.join(", ")})` });
  };
  if (report.chart?.x) named("/chart/x", report.chart.x);
  for (const [i, s] of (report.chart?.series ?? []).entries()) named(`/chart/series/${i}`, s);
  return issues;
}

/** Checks a report definition; throws `validation_failed` naming every problem. */
export async function assertValidReport(
  knex: Knex,
  registry: MetadataRegistry,
  input: unknown,
): Promise<ReportDefinition> {
  const issues = await reportDefinitionIssues(knex, registry, input);
  if (issues.length) throw new AppError("validation_failed", `The report has ${issues.length} problem(s)`, issues);
  return input as ReportDefinition;
}
