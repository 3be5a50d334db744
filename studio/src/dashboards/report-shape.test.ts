import type { ReportDefinition } from "@kehu/client";
import { describe, expect, it } from "vitest";
import { cellText, chartOption, reportOutputs } from "./report-shape";

const BY_OWNER: ReportDefinition = {
  key: "money_by_owner",
  label: { en: "Money by owner" },
  query: {
    entity: "contract",
    groupBy: ["owner_id"],
    measures: [{ fn: "sum", field: "amount", as: "signed" }, { fn: "sum", field: "collected" }, { fn: "count" }],
  },
  chart: { type: "bar", x: "owner_id", series: ["signed", "sum_collected"] },
};
const ROWS = [
  { owner_id: { id: "u1", title: "许文博" }, signed: "1200.50", sum_collected: "300.00", count: 2 },
  { owner_id: { id: "u2", title: null }, signed: "80.00", sum_collected: null, count: 1 },
];

describe("a report's rows as a chart", () => {
  it("names outputs as the engine does: date buckets and unnamed measures", () => {
    expect(
      reportOutputs({
        entity: "contract",
        groupBy: [{ field: "signed_on", by: "month" }, "stage"],
        measures: [{ fn: "count" }, { fn: "sum", field: "amount" }, { fn: "avg", field: "amount", as: "mean" }],
      }),
    ).toEqual({ groups: ["signed_on_month", "stage"], measures: ["count", "sum_amount", "mean"] });
  });

  it("draws bars per owner title with the chosen measures as numbers", () => {
    const option = chartOption(BY_OWNER, ROWS) as {
      xAxis: { data: string[] };
      series: Array<{ type: string; name: string; data: Array<number | null> }>;
    };
    // An owner whose title the caller may not read shows as its id.
    expect(option.xAxis.data).toEqual(["许文博", "u2"]);
    expect(option.series).toEqual([
      { type: "bar", name: "signed", data: [1200.5, 80] },
      { type: "bar", name: "sum_collected", data: [300, null] },
    ]);
  });

  it("plots every measure against the first group when the chart names none", () => {
    const option = chartOption({ ...BY_OWNER, chart: { type: "line" } }, ROWS) as {
      series: Array<{ name: string; type: string }>;
    };
    expect(option.series.map((s) => `${s.type}:${s.name}`)).toEqual([
      "line:signed",
      "line:sum_collected",
      "line:count",
    ]);
  });

  it("draws a funnel as one slice per row of its first series", () => {
    const funnel: ReportDefinition = {
      key: "funnel",
      label: { en: "Funnel" },
      query: { entity: "opportunity", groupBy: ["stage"], measures: [{ fn: "sum", field: "amount", as: "amount" }] },
      chart: { type: "funnel", x: "stage", series: ["amount"] },
    };
    const option = chartOption(funnel, [
      { stage: "qualify", amount: "500" },
      { stage: "quote", amount: "200" },
    ]) as { series: Array<{ type: string; data: unknown }> };
    expect(option.series[0].type).toBe("funnel");
    expect(option.series[0].data).toEqual([
      { name: "qualify", value: 500 },
      { name: "quote", value: 200 },
    ]);
  });

  it("has no chart for a table report, and cells show titles, numbers and a dash for nothing", () => {
    expect(chartOption({ ...BY_OWNER, chart: { type: "table" } }, ROWS)).toBeUndefined();
    expect(ROWS.map((r) => cellText(r.owner_id))).toEqual(["许文博", "u2"]);
    expect([cellText("1200.50"), cellText(3), cellText(null)]).toEqual(["1200.50", "3", "—"]);
  });
});
