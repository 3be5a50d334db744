import { describe, expect, it } from "vitest";
import { MergeLog, type MergeSide } from "./merge-conflict";
import { mergeDocument } from "./merge-document";

/** A contract form as template v1 installed it. */
const form = {
  entity: "contract",
  name: "contract",
  label: { en: "Contract", zh: "合同" },
  sections: [
    { title: { en: "Contract", zh: "合同" }, columns: 2, fields: [{ field: "number" }, { field: "title" }] },
    { title: { en: "Parties", zh: "相关方" }, columns: 2, fields: [{ field: "customer" }, { field: "designer" }] },
  ],
};
/** A role as template v1 installed it. */
const role = {
  name: "sales",
  label: { en: "Salesperson", zh: "销售顾问" },
  permissions: { customer: { read: "department", update: "department" }, product: { read: "all" } },
  fields: {},
};

const copy = <T>(v: T, edit: (v: T) => void = () => {}): T => {
  const c = structuredClone(v);
  edit(c);
  return c;
};
function merge<T>(key: string, installed: T, template: T, local: T, take: Record<string, MergeSide> = {}) {
  const log = new MergeLog((k) => take[k]);
  const merged = mergeDocument(log, key, installed, template, local) as T;
  return { merged, conflicts: log.conflicts, keptLocal: log.keptLocal };
}

describe("three-way merge of forms and roles on an upgrade", () => {
  it("keeps a field the customer moved and a label they changed while taking the template's other changes", () => {
    const local = copy(form, (f) => {
      const designer = f.sections[1].fields.pop() as { field: string };
      f.sections[0].fields.unshift(designer); // moved to the top of the first section
      f.label.zh = "销售合同";
    });
    const template = copy(form, (f) => {
      (f.sections[1].fields[0] as Record<string, unknown>).help = { en: "The buyer", zh: "买方" };
      f.sections[1].fields.push({ field: "project" });
      f.label.en = "Sales contract";
    });
    const { merged, conflicts, keptLocal } = merge("forms.contract", form, template, local);
    expect(conflicts).toEqual([]);
    expect(merged.label).toEqual({ en: "Sales contract", zh: "销售合同" });
    expect(merged.sections.map((s) => s.fields.map((f) => f.field))).toEqual([
      ["designer", "number", "title"],
      ["customer", "project"],
    ]);
    expect(merged.sections[1].fields[0]).toEqual({ field: "customer", help: { en: "The buyer", zh: "买方" } });
    // the first section only changed locally: kept as a whole
    expect(keptLocal).toEqual(["forms.contract.label.zh", "forms.contract.sections.contract"]);
  });

  it("lists a change both sides made to the same element as a conflict, decided by --take", () => {
    const local = copy(form, (f) => {
      (f.sections[0].fields[1] as Record<string, unknown>).help = { en: "As signed", zh: "与合同一致" };
    });
    const template = copy(form, (f) => {
      (f.sections[0].fields[1] as Record<string, unknown>).help = { en: "Printed title", zh: "合同名称" };
      f.sections[1].columns = 3;
    });
    const open = merge("forms.contract", form, template, local);
    expect(open.conflicts).toEqual([
      {
        key: "forms.contract.sections.contract.fields.title.help.en",
        reason: "changed by both the template and locally",
        installed: undefined,
        template: "Printed title",
        local: "As signed",
      },
      {
        key: "forms.contract.sections.contract.fields.title.help.zh",
        reason: "changed by both the template and locally",
        installed: undefined,
        template: "合同名称",
        local: "与合同一致",
      },
    ]);
    const take = {
      "forms.contract.sections.contract.fields.title.help.en": "local",
      "forms.contract.sections.contract.fields.title.help.zh": "local",
    } as const;
    const decided = merge("forms.contract", form, template, local, take);
    expect(decided.conflicts.map((c) => c.taken)).toEqual(["local", "local"]);
    expect(decided.merged.sections[0].fields[1]).toEqual({
      field: "title",
      help: { en: "As signed", zh: "与合同一致" },
    });
    expect(decided.merged.sections[1].columns).toBe(3);
  });

  it("keeps a role's local permission edits and adds the template's new ones; the same permission is a conflict", () => {
    const local = copy(role, (r) => {
      r.permissions.customer.update = "own";
      (r.permissions as Record<string, unknown>).lead = { read: "department" };
    });
    const template = copy(role, (r) => {
      (r.permissions.customer as Record<string, string>).create = "department";
      r.permissions.product.read = "department";
    });
    const kept = merge("roles.sales", role, template, local);
    expect(kept.conflicts).toEqual([]);
    expect(kept.merged.permissions).toEqual({
      customer: { read: "department", update: "own", create: "department" },
      product: { read: "department" },
      lead: { read: "department" },
    });

    const clash = copy(role, (r) => {
      r.permissions.customer.update = "all";
    });
    const both = merge("roles.sales", role, clash, local);
    expect(both.conflicts.map((c) => [c.key, c.template, c.local])).toEqual([
      ["roles.sales.permissions.customer.update", "all", "own"],
    ]);
  });

  it("takes the template's removal of an element the customer left alone, and refuses to drop one they changed", () => {
    const template = copy(form, (f) => {
      f.sections[1].fields = [{ field: "customer" }];
    });
    expect(merge("forms.contract", form, template, copy(form)).merged).toEqual(template);
    const local = copy(form, (f) => {
      (f.sections[1].fields[1] as Record<string, unknown>).readOnly = true;
    });
    const m = merge("forms.contract", form, template, local);
    expect(m.conflicts.map((c) => [c.key, c.reason])).toEqual([
      ["forms.contract.sections.parties.fields.designer", "the template removes this; it was changed locally"],
    ]);
  });
});
