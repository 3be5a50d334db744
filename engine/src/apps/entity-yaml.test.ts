import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sampleCustomer } from "../testing/sample-entities";
import { canonicalEntity } from "./canonical-entity";
import { entityToYaml } from "./entity-yaml";

describe("entityToYaml", () => {
  it("writes lean YAML, compact the way entity files are written by hand", () => {
    const text = entityToYaml({
      name: "region",
      label: { en: "Region", zh: "区域" },
      fields: [
        { id: "fregion01", name: "name", type: "text", required: true, unique: false },
        { id: "fregion02", name: "kind", type: "enum", values: ["north", "south"], default: "north" },
        {
          id: "fregion03",
          name: "level",
          type: "enum",
          label: { en: "Level", zh: "级别" },
          values: [{ value: "province", label: { en: "Province", zh: "省" } }, "city"],
        },
        {
          id: "fregion04",
          name: "note",
          type: "text",
          help: { en: "A help text long enough to push the field past the line width." },
        },
      ],
      indexes: [{ fields: ["kind", "name"], unique: true }],
    });
    expect(text).toBe(
      [
        "name: region",
        "label: { en: Region, zh: 区域 }",
        "fields:",
        "  - { id: fregion01, name: name, type: text, required: true }",
        "  - { id: fregion02, name: kind, type: enum, default: north, values: [ north, south ] }",
        "  - id: fregion03",
        "    name: level",
        "    type: enum",
        "    label: { en: Level, zh: 级别 }",
        "    values:",
        "      - { value: province, label: { en: Province, zh: 省 } }",
        "      - city",
        "  - id: fregion04",
        "    name: note",
        "    type: text",
        "    help: { en: A help text long enough to push the field past the line width. }",
        "indexes:",
        "  - { fields: [ kind, name ], unique: true }",
        "",
      ].join("\n"),
    );
    expect(text.split("\n").every((line) => line.length <= 120)).toBe(true);
  });

  it("reads back as the canonical definition, strings that look like other types included", () => {
    const tricky = {
      name: "odd",
      description: { en: "Line one: with a colon, # and a 'quote'" },
      fields: [
        { name: "flag", type: "enum" as const, values: ["yes", "no", "null", "001", "1e3", "true"], default: "no" },
        { name: "code", type: "text" as const, pattern: "^[A-Z]{2}-\\d+$", default: "" },
      ],
    };
    for (const def of [tricky, sampleCustomer]) expect(parse(entityToYaml(def))).toEqual(canonicalEntity(def));
  });

  it("is deterministic whatever the input key order", () => {
    const a = entityToYaml({
      name: "n",
      label: { zh: "甲", en: "A" },
      fields: [{ type: "text", name: "x", id: "fxxxxxxx1" }],
    });
    const b = entityToYaml({
      fields: [{ id: "fxxxxxxx1", name: "x", type: "text" }],
      label: { en: "A", zh: "甲" },
      name: "n",
    });
    expect(a).toBe(b);
  });
});
