import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import {
  addSection,
  initialForm,
  issuesByRow,
  moveField,
  placeField,
  removeSection,
  stepField,
  unplacedFields,
  updateField,
} from "./designer-state";

const lead: EntityDefinition = {
  name: "lead",
  label: { en: "Lead", zh: "线索" },
  fields: [
    { name: "name", type: "text" },
    { name: "mobile", type: "phone" },
    { name: "stage", type: "enum", values: ["new", "won"] },
    { name: "extra", type: "json" },
  ],
};
const order = (f: ReturnType<typeof initialForm>) => f.sections.map((s) => s.fields.map((x) => x.field));

describe("form designer state", () => {
  it("starts with one section of every field but json, named after the role", () => {
    const form = initialForm(lead, "sales");
    expect(form).toMatchObject({ entity: "lead", name: "sales", role: "sales", label: { en: "Lead", zh: "线索" } });
    expect(order(form)).toEqual([["name", "mobile", "stage"]]);
  });

  it("moves a field into a new section by drag and drop, and step by step with the keyboard", () => {
    let form = addSection(initialForm(lead, null), { en: "Follow-up", zh: "跟进" });
    form = moveField(form, { section: 0, index: 2 }, { section: 1, index: 0 });
    expect(order(form)).toEqual([["name", "mobile"], ["stage"]]);
    form = stepField(form, { section: 1, index: 0 }, -1);
    expect(order(form)).toEqual([["name", "mobile", "stage"], []]);
    form = stepField(form, { section: 0, index: 0 }, 1);
    expect(order(form)).toEqual([["mobile", "name", "stage"], []]);
  });

  it("keeps only the options set, and gives fields back when their section goes", () => {
    let form = updateField(
      initialForm(lead, null),
      { section: 0, index: 2 },
      {
        widget: "radio",
        readOnly: false,
        required: true,
        visibleWhen: { name: { isNull: false } },
      },
    );
    expect(form.sections[0].fields[2]).toEqual({
      field: "stage",
      widget: "radio",
      required: true,
      visibleWhen: { name: { isNull: false } },
    });
    form = updateField(form, { section: 0, index: 2 }, { required: false, widget: undefined });
    expect(form.sections[0].fields[2]).toEqual({ field: "stage", visibleWhen: { name: { isNull: false } } });
    form = removeSection(addSection(form, { en: "B", zh: "乙" }), 0);
    expect(unplacedFields(form, lead)).toEqual(["name", "mobile", "stage"]);
    expect(order(placeField(form, "mobile", 0))).toEqual([["mobile"]]);
  });

  it("puts the server's issues on their rows", () => {
    const rows = issuesByRow([
      { path: "/sections/1/fields/0/widget", message: "bad widget" },
      { path: "/sections/0/title", message: "needs a title" },
      { path: "/role", message: "no role" },
    ]);
    expect(rows.get("1/0")).toEqual(["bad widget"]);
    expect(rows.get("0")).toEqual(["needs a title"]);
    expect(rows.get("")).toEqual(["no role"]);
  });
});
