import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import {
  builderDefinition,
  builderStateOf,
  EMPTY_BUILDER,
  groupableFields,
  measurableFields,
} from "./report-builder-state";

const CONTRACT = {
  name: "contract",
  label: { en: "Contract" },
  ownership: "user",
  fields: [
    { name: "number", type: "text" },
    { name: "amount", type: "money" },
    { name: "notes", type: "longtext" },
    { name: "signed_on", type: "date" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "margin", type: "formula", expression: "1", resultType: "decimal" },
    { name: "qty", type: "integer" },
  ],
} as unknown as EntityDefinition;

describe("the report builder's form", () => {
  it("offers groupable and measurable fields of an entity", () => {
    expect(groupableFields(CONTRACT)).toEqual([
      "number",
      "signed_on",
      "customer",
      "margin",
      "qty",
      "owner_id",
      "department_id",
    ]);
    expect(measurableFields(CONTRACT)).toEqual(["amount", "margin", "qty"]);
  });

  it("becomes a report definition: date buckets, counts without a field, trimmed names and labels", () => {
    const definition = builderDefinition({
      ...EMPTY_BUILDER,
      key: " money_by_month ",
      labelEn: "Money by month",
      labelZh: " ",
      entity: "contract",
      groups: [{ field: "signed_on", by: "month" }, { field: "owner_id" }, { field: "" }],
      measures: [
        { fn: "count", field: "amount" },
        { fn: "sum", field: "amount", as: " signed " },
      ],
      chart: "line",
    });
    expect(definition).toEqual({
      key: "money_by_month",
      label: { en: "Money by month" },
      query: {
        entity: "contract",
        groupBy: [{ field: "signed_on", by: "month" }, "owner_id"],
        measures: [{ fn: "count" }, { fn: "sum", field: "amount", as: "signed" }],
      },
      chart: { type: "line" },
    });
  });

  it("opens a saved report for editing and saves it back with its filter rows and the options it does not show", () => {
    const saved = {
      key: "big_deals",
      label: { en: "Big deals", zh: "大单" },
      query: {
        entity: "contract",
        filter: { and: [{ qty: { gte: 10 } }, { not: { number: { startsWith: "T-" } } }] },
        groupBy: [{ field: "signed_on", by: "quarter" as const }],
        measures: [{ fn: "sum" as const, field: "amount", as: "total" }],
        currency: "USD",
      },
      chart: { type: "bar" as const, x: "signed_on" },
    };
    const state = builderStateOf(saved, CONTRACT);
    expect(state.filter.rows.map((r) => `${r.negate ? "not " : ""}${r.field} ${r.op} ${r.value}`)).toEqual([
      "qty gte 10",
      "not number startsWith T-",
    ]);
    expect(builderDefinition(state, CONTRACT.fields)).toEqual(saved);
    const edited = { ...state, filter: { ...state.filter, rows: state.filter.rows.slice(0, 1) } };
    expect(builderDefinition(edited, CONTRACT.fields).query).toMatchObject({
      filter: { qty: { gte: 10 } },
      currency: "USD",
    });
    const nested = { ...saved, query: { ...saved.query, filter: { or: [{ and: [{ qty: { gte: 1 } }] }] } } };
    const kept = builderStateOf(nested, CONTRACT);
    expect(kept.filter.rows).toEqual([]);
    expect(builderDefinition(kept, CONTRACT.fields).query.filter).toEqual(nested.query.filter);
  });
});
