import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { canonicalEntity } from "./canonical-entity";

describe("canonicalEntity", () => {
  it("orders keys the fixed way and keeps unknown ones after, alphabetically", () => {
    const input = {
      indexes: [{ unique: true, fields: ["code"] }],
      fields: [
        { max: 20, type: "text", name: "code", unique: true, id: "fcode0001", label: { zh: "编码", en: "Code" } },
      ],
      zz: 1,
      aa: 2,
      ownership: "user",
      name: "customer",
      label: { zh: "客户", en: "Customer" },
    } as unknown as EntityDefinition;
    const out = canonicalEntity(input);
    expect(Object.keys(out)).toEqual(["name", "label", "ownership", "fields", "indexes", "aa", "zz"]);
    expect(Object.keys(out.label!)).toEqual(["en", "zh"]);
    expect(Object.keys(out.fields[0])).toEqual(["id", "name", "type", "label", "unique", "max"]);
    expect(Object.keys(out.indexes![0])).toEqual(["fields", "unique"]);
  });

  it("leaves out empty values and options that repeat their default", () => {
    const out = canonicalEntity({
      name: "deal",
      label: {},
      indexes: [{ fields: ["title"], unique: false }],
      fields: [
        {
          id: "f1aaaaaaa",
          name: "title",
          type: "text",
          required: false,
          unique: false,
          indexed: false,
          searchable: true,
        },
        { id: "f2aaaaaaa", name: "notes", type: "longtext", searchable: true, renamedFrom: "memo" },
        {
          id: "f3aaaaaaa",
          name: "tags",
          type: "multienum",
          values: ["a", { value: "b" }, { value: "c", label: { zh: "丙" } }],
          default: [],
        },
        { id: "f4aaaaaaa", name: "code", type: "text", searchable: false },
      ],
    });
    expect(out).toEqual({
      name: "deal",
      fields: [
        { id: "f1aaaaaaa", name: "title", type: "text" },
        { id: "f2aaaaaaa", name: "notes", type: "longtext", searchable: true },
        {
          id: "f3aaaaaaa",
          name: "tags",
          type: "multienum",
          default: [],
          values: ["a", "b", { value: "c", label: { zh: "丙" } }],
        },
        { id: "f4aaaaaaa", name: "code", type: "text", searchable: false },
      ],
      indexes: [{ fields: ["title"] }],
    });
  });

  it("is idempotent", () => {
    const once = canonicalEntity({
      name: "x",
      fields: [{ type: "enum", name: "s", values: [{ value: "a" }], required: true }],
    });
    expect(canonicalEntity(once)).toEqual(once);
    expect(JSON.stringify(canonicalEntity(once))).toBe(JSON.stringify(once));
  });
});
