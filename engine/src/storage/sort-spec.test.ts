import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { orderBySql, parseSort, rankSort } from "./sort-spec";

const deal = {
  name: "deal",
  label: { en: "Deal" },
  fields: [
    { name: "name", type: "text" },
    { name: "notes", type: "longtext" },
    { name: "tier", type: "enum", values: ["gold", "general"] },
    { name: "tags", type: "multienum", values: ["a"] },
    { name: "amount", type: "decimal" },
    { name: "credit", type: "money" },
    { name: "meta", type: "json" },
    { name: "customer", type: "reference", target: "customer" },
    { name: "closed_on", type: "date" },
  ],
} as EntityDefinition;

function sortError(sort: unknown): AppError {
  try {
    parseSort(deal, sort);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`expected ${JSON.stringify(sort)} to be refused`);
}

describe("parseSort", () => {
  it("defaults to created_at then id", () => {
    for (const none of [undefined, null, ""]) expect(parseSort(deal, none).text).toBe("created_at,id");
  });

  it("parses several keys, - for descending, and ends with id in the last key's direction", () => {
    const spec = parseSort(deal, "-amount,name");
    expect(spec.text).toBe("-amount,name,id");
    expect(orderBySql(spec.keys)).toEqual({
      sql: '"amount" DESC NULLS FIRST, "name" ASC NULLS LAST, "id" ASC NULLS LAST',
      bindings: [],
    });
    expect(parseSort(deal, "-amount").text).toBe("-amount,-id");
    expect(parseSort(deal, " tier , -closed_on ").text).toBe("tier,-closed_on,-id");
  });

  it("knows which keys can be NULL", () => {
    const spec = parseSort(deal, "tier,created_at,version");
    expect(spec.keys.map((k) => [k.field, k.nullable])).toEqual([
      ["tier", true],
      ["created_at", false],
      ["version", false],
      ["id", false],
    ]);
  });

  it("sorts money by amount and addresses the currency", () => {
    expect(parseSort(deal, "credit").keys[0]).toMatchObject({ sql: '"credit"', rowKey: "credit", kind: "decimal" });
    expect(parseSort(deal, "-credit.currency").keys[0]).toMatchObject({ sql: '"credit__currency"', desc: true });
  });

  it("stops at id, which is unique", () => {
    expect(parseSort(deal, "id,name").text).toBe("id");
    expect(parseSort(deal, "name,-id").text).toBe("name,-id");
  });

  it("qualifies with an alias", () => {
    expect(orderBySql(parseSort(deal, "name", "d").keys).sql).toBe(
      '"d"."name" ASC NULLS LAST, "d"."id" ASC NULLS LAST',
    );
  });

  it("refuses bad sorts naming the field", () => {
    const cases: Array<[unknown, RegExp]> = [
      ["nosuch", /unknown field "nosuch"/],
      ["name,-nosuch", /unknown field "nosuch"/],
      ["meta", /cannot sort by json field "meta"/],
      ["tags", /cannot sort by multienum field "tags"/],
      ["notes", /cannot sort by longtext field "notes"/],
      ["name,,tier", /empty field name/],
      ["-", /empty field name/],
      ["name,-name", /"name" appears twice/],
      ["credit,credit.amount", /"credit.amount" appears twice/],
      ["name,tier,amount,credit,customer,closed_on,created_at,updated_at,version", /at most 8/],
      [5, /must be a string/],
      ["_search", /unknown field/],
    ];
    for (const [sort, message] of cases) {
      const e = sortError(sort);
      expect(e.code).toBe("bad_request");
      expect(e.issues).toHaveLength(1);
      expect(e.issues[0].path).toBe("/sort");
      expect(e.issues[0].message).toMatch(message);
    }
  });
});

describe("rankSort", () => {
  it("orders by the rank expression, best first, then id", () => {
    const spec = rankSort({ sql: "similarity(_search, lower(?))", bindings: ["q"] });
    expect(spec.text).toBe("-_rank,-id");
    expect(orderBySql(spec.keys)).toEqual({
      sql: 'similarity(_search, lower(?)) DESC NULLS FIRST, "id" DESC NULLS FIRST',
      bindings: ["q"],
    });
  });
});
