import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { validateForm } from "./validate-form";

const contract: EntityDefinition = {
  name: "contract",
  fields: [
    { name: "title", type: "text", required: true },
    { name: "amount", type: "money" },
    { name: "status", type: "enum", values: ["draft", "signed"] },
    { name: "no", type: "autonumber", pattern: "C{0000}" },
    { name: "notes", type: "longtext" },
  ],
};
const entity = (n: string) => (n === "contract" ? contract : undefined);
const form = (fields: unknown[], extra: Record<string, unknown> = {}) => ({
  entity: "contract",
  name: "default",
  label: { en: "Contract", zh: "合同" },
  sections: [{ title: { en: "Main", zh: "主要" }, columns: 2, fields }],
  ...extra,
});

describe("validateForm", () => {
  it("accepts a form whose fields, widgets and rules fit the entity", () => {
    const ok = form([
      { field: "title", help: { en: "Short", zh: "简短" } },
      { field: "status", widget: "radio" },
      { field: "notes", widget: "textarea", visibleWhen: { status: { eq: "signed" } } },
      { field: "no", readOnly: true },
    ]);
    expect(validateForm(ok, { entity })).toEqual([]);
  });

  it("names the shape problems by path", () => {
    const issues = validateForm({ ...form([{ field: "title" }]), sections: [{ columns: 4, fields: [] }] }, { entity });
    expect(issues.map((i) => i.path)).toEqual(["/sections/0/title", "/sections/0/columns"]);
  });

  it("names unknown fields, wrong widgets, required computed fields, duplicates and bad rules", () => {
    const issues = validateForm(
      form([
        { field: "nope" },
        { field: "amount", widget: "checkbox" },
        { field: "no", required: true },
        { field: "title" },
        { field: "title" },
        { field: "notes", visibleWhen: { status: { gt: "x" }, missing: { eq: 1 } } },
      ]),
      { entity },
    );
    const at = (p: string) => issues.find((i) => i.path === p)?.message;
    expect(at("/sections/0/fields/0/field")).toBe('contract has no field "nope"');
    expect(at("/sections/0/fields/1/widget")).toContain('widget "checkbox" does not fit a money field');
    expect(at("/sections/0/fields/2/required")).toContain("computed (autonumber)");
    expect(at("/sections/0/fields/4/field")).toContain("already placed at /sections/0/fields/3");
    expect(at("/sections/0/fields/5/visibleWhen/status/gt")).toContain('operator "gt" does not apply');
    expect(at("/sections/0/fields/5/visibleWhen/missing")).toContain('unknown field "missing"');
  });

  it("names an unknown entity and an unknown role", () => {
    expect(validateForm({ ...form([]), entity: "order" }, { entity })).toEqual([
      { path: "/entity", message: 'no entity named "order"' },
    ]);
    expect(validateForm(form([], { role: "sales" }), { entity, roleExists: () => false })).toEqual([
      { path: "/role", message: 'no role named "sales"' },
    ]);
  });
});
