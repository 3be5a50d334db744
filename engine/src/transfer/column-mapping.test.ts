import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { mapColumns } from "./column-mapping";

const entity: EntityDefinition = {
  name: "customer",
  fields: [
    { name: "name", type: "text", label: { en: "Customer Name", zh: "客户名称" } },
    { name: "credit", type: "money", label: { en: "Credit", zh: "授信额度" } },
    { name: "secret", type: "text" },
    { name: "score", type: "integer" },
    { name: "total", type: "formula", expression: "score * 2", resultType: "integer" },
  ],
};
const none = new Set<string>();
const fields = (header: string[], options = {}) =>
  mapColumns(entity, header, { hidden: none, readOnly: none, ...options });

describe("mapColumns", () => {
  it("matches names and en/zh labels ignoring case, spaces and underscores; money amount and currency", () => {
    const m = fields(["customer name", "授信额度", "授信额度（币种）", "SCORE", "credit__currency"].slice(0, 4));
    expect(m.issues).toEqual([]);
    expect(m.columns.map((c) => [c.header, c.field.name, c.part])).toEqual([
      ["customer name", "name", "value"],
      ["授信额度", "credit", "value"],
      ["授信额度（币种）", "credit", "currency"],
      ["SCORE", "score", "value"],
    ]);
    expect(fields(["Credit", "Credit currency"]).columns.map((c) => c.part)).toEqual(["value", "currency"]);
  });

  it("leaves computed and system columns out, and reports unknown, repeated and unused mappings", () => {
    const m = fields(["name", "total", "id", "created_at", "colour", "Customer Name"], { mapping: { nope: "name" } });
    expect(m.columns.map((c) => c.header)).toEqual(["name"]);
    expect(m.issues.map((i) => i.path)).toEqual(["/columns/colour", "/columns/Customer Name", "/mapping/nope"]);
    expect(fields(["colour"], { ignoreUnknown: true }).issues).toEqual([]);
  });

  it("takes explicit mappings, including a currency part and null to skip a column", () => {
    const m = fields(["Kunde", "Betrag", "Währung", "skip me"], {
      mapping: { Kunde: "name", Betrag: "credit", Währung: "credit__currency", "skip me": null },
    });
    expect(m.issues).toEqual([]);
    expect(m.columns.map((c) => `${c.field.name}/${c.part}`)).toEqual([
      "name/value",
      "credit/value",
      "credit/currency",
    ]);
  });

  it("treats a hidden field as unknown and refuses a read-only one as forbidden", () => {
    const hidden = fields(["secret"], { hidden: new Set(["secret"]) });
    expect(hidden.forbidden).toBe(false);
    expect(hidden.issues[0].message).toContain("matches no field");
    const readOnly = fields(["score"], { readOnly: new Set(["score"]) });
    expect(readOnly.forbidden).toBe(true);
    expect(readOnly.issues[0].message).toBe('fills "score", which you may not write');
  });
});
