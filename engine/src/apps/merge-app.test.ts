import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { mergeApp } from "./merge-app";
import type { MergeSide } from "./merge-conflict";

/** Customer as installed from template v1: the stored definition and the base carry the same field ids. */
const installed: EntityDefinition = {
  name: "customer",
  label: { en: "Customer" },
  fields: [
    { id: "f1", name: "name", type: "text", label: { en: "Name" } },
    { id: "f2", name: "phone", type: "text" },
    { id: "f3", name: "tier", type: "enum", values: ["gold", "general"] },
  ],
};

/** The v1 file as a template author writes it (no ids), changed by `edit`. */
function file(edit: (e: EntityDefinition) => void = () => {}): EntityDefinition {
  const e = structuredClone(installed);
  e.fields = e.fields.map(({ id: _, ...f }) => f);
  edit(e);
  return e;
}
function local(edit: (e: EntityDefinition) => void = () => {}): EntityDefinition {
  const e = structuredClone(installed);
  edit(e);
  return e;
}
const field = (e: EntityDefinition, name: string) => e.fields.find((f) => f.name === name) as FieldDefinition;

function merge(template: EntityDefinition, mine: EntityDefinition | undefined, take: Record<string, MergeSide> = {}) {
  return mergeApp(
    [installed],
    [template],
    (n) => (n === mine?.name ? mine : undefined),
    (k) => take[k] ?? take["*"],
  );
}
const names = (e: EntityDefinition) => e.fields.map((f) => f.name);

describe("three-way merge of an app upgrade", () => {
  it("changes nothing when neither side changed anything", () => {
    const m = merge(file(), local());
    expect(m.conflicts).toEqual([]);
    expect(m.definitions).toEqual([installed]);
    expect(m.base).toEqual([installed]);
  });

  it("keeps every local edit when the template did not change", () => {
    const mine = local((e) => {
      field(e, "name").label = { en: "Company" };
      e.fields.push({ id: "f9", name: "wechat", type: "text" });
    });
    const m = merge(file(), mine);
    expect(m.conflicts).toEqual([]);
    expect(m.definitions).toEqual([mine]);
    expect(m.keptLocal).toEqual(["customer.fields.name.label", "customer.fields.wechat"]);
  });

  it("takes the template's change where the customer left things as installed", () => {
    const m = merge(
      file((e) => {
        field(e, "phone").label = { en: "Phone", zh: "电话" };
        e.label = { en: "Client" };
      }),
      local(),
    );
    expect(m.conflicts).toEqual([]);
    expect(m.definitions[0].label).toEqual({ en: "Client" });
    expect(field(m.definitions[0], "phone")).toEqual({
      id: "f2",
      name: "phone",
      type: "text",
      label: { en: "Phone", zh: "电话" },
    });
  });

  it("follows a template rename to the same field id, so the column is renamed, not dropped", () => {
    const m = merge(
      file((e) => {
        Object.assign(field(e, "phone"), { name: "mobile", renamedFrom: "phone" });
      }),
      local(),
    );
    expect(field(m.definitions[0], "mobile")).toEqual({ id: "f2", name: "mobile", type: "text" });
    expect(field(m.base[0], "mobile").id).toBe("f2");
    expect(JSON.stringify(m)).not.toContain("renamedFrom");
  });

  it("adds the template's new field after its predecessor and keeps the customer's new field", () => {
    const m = merge(
      file((e) => e.fields.splice(1, 0, { name: "vip", type: "boolean", default: false })),
      local((e) => e.fields.push({ id: "f9", name: "wechat", type: "text" })),
    );
    expect(m.conflicts).toEqual([]);
    expect(names(m.definitions[0])).toEqual(["name", "vip", "phone", "tier", "wechat"]);
    const vip = field(m.definitions[0], "vip");
    expect(vip).toMatchObject({ type: "boolean", default: false, id: expect.stringMatching(/^f/) });
    expect(field(m.base[0], "vip").id).toBe(vip.id);
  });

  it("merges a customer's label edit with the template's type-unrelated change of the same field", () => {
    const m = merge(
      file((e) => {
        field(e, "name").required = true;
      }),
      local((e) => {
        field(e, "name").label = { en: "Company" };
      }),
    );
    expect(m.conflicts).toEqual([]);
    expect(field(m.definitions[0], "name")).toEqual({
      id: "f1",
      name: "name",
      type: "text",
      label: { en: "Company" },
      required: true,
    });
  });

  it("reports a property both sides changed differently, and takes the side decided", () => {
    const template = file((e) => {
      field(e, "name").label = { en: "Company name" };
    });
    const mine = local((e) => {
      field(e, "name").label = { en: "Customer name" };
    });
    const open = merge(template, mine);
    expect(open.conflicts).toEqual([
      {
        key: "customer.fields.name.label",
        reason: "changed by both the template and locally",
        installed: { en: "Name" },
        template: { en: "Company name" },
        local: { en: "Customer name" },
      },
    ]);
    const local_ = merge(template, mine, { "customer.fields.name.label": "local" });
    expect(local_.conflicts[0].taken).toBe("local");
    expect(field(local_.definitions[0], "name").label).toEqual({ en: "Customer name" });
    expect(field(merge(template, mine, { "*": "template" }).definitions[0], "name").label).toEqual({
      en: "Company name",
    });
  });

  it("agrees when both sides made the same change", () => {
    const m = merge(
      file((e) => {
        field(e, "name").required = true;
      }),
      local((e) => {
        field(e, "name").required = true;
      }),
    );
    expect(m.conflicts).toEqual([]);
    expect(field(m.definitions[0], "name").required).toBe(true);
  });

  it("merges enum values item by item: both sides' new values, the local order first", () => {
    const m = merge(
      file((e) => {
        field(e, "tier").values = ["gold", "silver", "general"];
      }),
      local((e) => {
        field(e, "tier").values = ["gold", "general", "potential"];
      }),
    );
    expect(m.conflicts).toEqual([]);
    expect(field(m.definitions[0], "tier").values).toEqual(["gold", "silver", "general", "potential"]);
  });

  it("removes an enum value the template drops unless the customer changed it", () => {
    const template = file((e) => {
      field(e, "tier").values = ["gold"];
    });
    expect(field(merge(template, local()).definitions[0], "tier").values).toEqual(["gold"]);
    const relabelled = local((e) => {
      field(e, "tier").values = ["gold", { value: "general", label: { en: "Regular" } }];
    });
    const m = merge(template, relabelled);
    expect(m.conflicts.map((c) => [c.key, c.reason])).toEqual([
      ["customer.fields.tier.values.general", "the template removes this value; it was changed locally"],
    ]);
    const kept = merge(template, relabelled, { "*": "local" });
    expect(field(kept.definitions[0], "tier").values).toEqual(["gold", { value: "general", label: { en: "Regular" } }]);
  });

  it("reports two different labels for the same enum value", () => {
    const m = merge(
      file((e) => {
        field(e, "tier").values = [{ value: "gold", label: { en: "Gold" } }, "general"];
      }),
      local((e) => {
        field(e, "tier").values = [{ value: "gold", label: { en: "VIP" } }, "general"];
      }),
    );
    expect(m.conflicts.map((c) => c.key)).toEqual(["customer.fields.tier.values.gold"]);
  });

  it("merges indexes one by one: the template's renamed index and the customer's new one", () => {
    const withIndex = (e: EntityDefinition) => {
      e.indexes = [{ fields: ["phone"] }];
    };
    const m = mergeApp(
      [local(withIndex)],
      [
        file((e) => {
          Object.assign(field(e, "phone"), { name: "mobile", renamedFrom: "phone" });
          e.indexes = [{ fields: ["mobile"] }];
        }),
      ],
      () =>
        local((e) => {
          e.indexes = [{ fields: ["phone"] }, { fields: ["tier", "name"] }];
        }),
      () => undefined,
    );
    expect(m.conflicts).toEqual([]);
    expect(m.definitions[0].indexes).toEqual([{ fields: ["mobile"] }, { fields: ["tier", "name"] }]);
    expect(m.keptLocal).toEqual(["customer.indexes.tier+name"]);
  });

  it("reports an index the template drops after the customer made it unique", () => {
    const withIndex = (e: EntityDefinition) => {
      e.indexes = [{ fields: ["phone"] }];
    };
    const m = mergeApp(
      [local(withIndex)],
      [file()],
      () =>
        local((e) => {
          e.indexes = [{ fields: ["phone"], unique: true }];
        }),
      () => undefined,
    );
    expect(m.conflicts.map((c) => [c.key, c.reason])).toEqual([
      ["customer.indexes.phone", "the template removes this index; it was changed locally"],
    ]);
  });

  it("deletes a field the template deletes when the customer left it alone", () => {
    const m = merge(
      file((e) => {
        e.fields = e.fields.filter((f) => f.name !== "phone");
      }),
      local(),
    );
    expect(m.conflicts).toEqual([]);
    expect(names(m.definitions[0])).toEqual(["name", "tier"]);
  });

  it("asks before deleting a field the customer changed, and keeps it with --take local", () => {
    const template = file((e) => {
      e.fields = e.fields.filter((f) => f.name !== "phone");
    });
    const mine = local((e) => {
      field(e, "phone").required = true;
    });
    const m = merge(template, mine);
    expect(m.conflicts).toMatchObject([
      { key: "customer.fields.phone", reason: "the template deletes this field; it was changed locally" },
    ]);
    expect(names(merge(template, mine, { "customer.fields.phone": "local" }).definitions[0])).toEqual([
      "name",
      "phone",
      "tier",
    ]);
    expect(names(merge(template, mine, { "customer.fields.phone": "template" }).definitions[0])).toEqual([
      "name",
      "tier",
    ]);
  });

  it("keeps a locally deleted field deleted, unless the template changed it and the template is taken", () => {
    const mine = local((e) => {
      e.fields = e.fields.filter((f) => f.name !== "phone");
    });
    expect(merge(file(), mine).definitions[0].fields.map((f) => f.name)).toEqual(["name", "tier"]);
    const template = file((e) => {
      field(e, "phone").unique = true;
    });
    expect(merge(template, mine).conflicts).toMatchObject([
      { key: "customer.fields.phone", reason: "deleted locally; the template changes it" },
    ]);
    const restored = merge(template, mine, { "*": "template" }).definitions[0];
    expect(field(restored, "phone")).toEqual({ id: "f2", name: "phone", type: "text", unique: true });
    expect(names(restored)).toEqual(["name", "phone", "tier"]);
  });

  it("merges a field both sides added under the same name, reporting only the properties that differ", () => {
    const m = merge(
      file((e) => e.fields.push({ name: "email", type: "text", label: { en: "E-mail" } })),
      local((e) => e.fields.push({ id: "f9", name: "email", type: "text", unique: true })),
    );
    expect(m.conflicts).toEqual([]);
    expect(field(m.definitions[0], "email")).toEqual({
      id: "f9",
      name: "email",
      type: "text",
      label: { en: "E-mail" },
      unique: true,
    });
    expect(field(m.base[0], "email").id).toBe("f9");
  });

  it("keeps a local rename while taking the template's other changes to that field", () => {
    const m = merge(
      file((e) => {
        field(e, "phone").label = { en: "Phone", zh: "电话" };
      }),
      local((e) => {
        field(e, "phone").name = "tel";
      }),
    );
    expect(m.conflicts).toEqual([]);
    expect(field(m.definitions[0], "tel")).toEqual({
      id: "f2",
      name: "tel",
      type: "text",
      label: { en: "Phone", zh: "电话" },
    });
    expect(m.keptLocal).toEqual(["customer.fields.tel.name"]);
  });

  it("reports both renaming the same field to different names", () => {
    const m = merge(
      file((e) => {
        Object.assign(field(e, "phone"), { name: "mobile", renamedFrom: "phone" });
      }),
      local((e) => {
        field(e, "phone").name = "tel";
      }),
    );
    expect(m.conflicts).toMatchObject([
      { key: "customer.fields.tel.name", installed: "phone", template: "mobile", local: "tel" },
    ]);
  });

  it("adds an entity that is new in the template, with field ids that the base records too", () => {
    const contact: EntityDefinition = { name: "contact", fields: [{ name: "name", type: "text" }] };
    const m = mergeApp(
      [installed],
      [file(), contact],
      (n) => (n === "customer" ? installed : undefined),
      () => undefined,
    );
    expect(m.definitions.map((e) => e.name)).toEqual(["customer", "contact"]);
    expect(m.definitions[1].fields[0].id).toEqual(m.base[1].fields[0].id);
  });

  it("keeps an entity deleted locally unless the template changed it", () => {
    expect(merge(file(), undefined).definitions).toEqual([]);
    const changed = file((e) => {
      e.label = { en: "Client" };
    });
    expect(merge(changed, undefined).conflicts).toMatchObject([{ key: "customer" }]);
    expect(merge(changed, undefined, { customer: "template" }).definitions.map((e) => e.label)).toEqual([
      { en: "Client" },
    ]);
  });

  it("keeps an entity the template no longer defines and says so", () => {
    const m = mergeApp(
      [installed],
      [],
      () => installed,
      () => undefined,
    );
    expect(m).toMatchObject({ definitions: [], dropped: ["customer"] });
  });

  it("ignores differences that only spell out a default", () => {
    const m = merge(
      file((e) => {
        field(e, "name").required = false;
      }),
      local(),
    );
    expect(m.conflicts).toEqual([]);
    expect(m.definitions).toEqual([installed]);
  });
});
