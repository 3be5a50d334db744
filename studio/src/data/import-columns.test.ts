import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { autoMapping, csvHeader, rowErrorsCsv } from "./import-columns";

const customer = {
  name: "customer",
  fields: [
    { name: "name", type: "text", label: { en: "Name", zh: "名称" } },
    { name: "credit", type: "money", label: { en: "Credit limit", zh: "信用额度" } },
    { name: "code", type: "autonumber", pattern: "C-{0000}" },
  ],
} as unknown as EntityDefinition;

describe("import columns", () => {
  it("reads a CSV header with quotes, a BOM and semicolons", () => {
    expect(csvHeader('\uFEFFname,"Credit, limit",x\r\n1,2,3')).toEqual(["name", "Credit, limit", "x"]);
    expect(csvHeader("名称;信用额度\n甲;1")).toEqual(["名称", "信用额度"]);
  });

  it("matches columns by name or label in either language, leaving out system, computed and unknown ones", () => {
    expect(autoMapping(customer, ["名称", "Credit limit", "credit currency", "id", "code", "note"])).toEqual({
      名称: "name",
      "Credit limit": "credit",
      "credit currency": "credit__currency",
      id: null,
      code: null,
      note: null,
    });
    expect(autoMapping(customer, ["name", "Name"])).toEqual({ name: "name", Name: null });
  });

  it("writes the row errors as a CSV a spreadsheet opens", () => {
    const csv = rowErrorsCsv([{ row: 3, column: "Credit", field: "credit", message: 'is not a number: "abc"' }]);
    expect(csv).toBe('\uFEFFrow,column,field,message\r\n3,Credit,credit,"is not a number: ""abc"""\r\n');
  });
});
