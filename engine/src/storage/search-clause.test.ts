import type { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import type { Database } from "./database";
import { createTableSql } from "./entity-ddl";
import { entityTableRef } from "./identifiers";
import { buildSearch, escapeLike, MAX_SEARCH_LENGTH } from "./search-clause";

const person = {
  name: "person",
  label: { en: "Person" },
  fields: [
    { name: "name", type: "text" },
    { name: "city", type: "text" },
    { name: "email", type: "email" },
    { name: "notes", type: "longtext" },
  ],
} as EntityDefinition;

const people = [
  { name: "张伟", city: "北京" },
  { name: "张伟明", city: "上海" },
  { name: "李张", city: "广州" },
  { name: "Zhang Wei", city: "Beijing", email: "zhang.wei@example.com" },
  { name: "Shanghai Trading", city: "Shanghai" },
  { name: "50% off", city: null },
  { name: "500 offers", city: null },
  { name: "a_b", city: null },
  { name: "axb", city: null },
  { name: "back\\slash", city: null },
  { name: "Quiet", city: null, notes: "secret word" },
];

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  for (const s of createTableSql(person)) await db.knex.raw(s);
  await db.knex(entityTableRef("person")).insert(people);
});
afterAll(() => db?.close());

async function find(query: string, mode: "contains" | "fuzzy" = "contains"): Promise<string[]> {
  const clause = buildSearch(query, mode);
  if (!clause) throw new Error("no clause");
  const rows = await db
    .knex(entityTableRef("person"))
    .whereRaw(clause.where.sql, clause.where.bindings)
    .orderByRaw(`${clause.rank.sql} DESC, name`, clause.rank.bindings)
    .pluck("name");
  return rows as string[];
}

describe("buildSearch: contains", () => {
  it("finds one and two CJK characters anywhere", async () => {
    expect((await find("张")).sort()).toEqual(["张伟", "张伟明", "李张"].sort());
    expect((await find("张伟")).sort()).toEqual(["张伟", "张伟明"].sort());
    expect(await find("伟明")).toEqual(["张伟明"]);
    expect(await find("上海")).toEqual(["张伟明"]);
  });

  it("ranks the closest match first", async () => {
    expect(await find("张伟")).toEqual(["张伟", "张伟明"]);
    expect((await find("zhang"))[0]).toBe("Zhang Wei");
  });

  it("is case-insensitive over every searchable field, not longtext", async () => {
    expect(await find("ZHANG WEI")).toEqual(["Zhang Wei"]);
    expect(await find("Example.COM")).toEqual(["Zhang Wei"]);
    expect(await find("secret")).toEqual([]);
  });

  it("takes % and _ and backslash literally", async () => {
    expect(await find("50%")).toEqual(["50% off"]);
    expect(await find("%")).toEqual(["50% off"]);
    expect(await find("a_b")).toEqual(["a_b"]);
    expect(await find("_")).toEqual(["a_b"]);
    expect(await find("k\\s")).toEqual(["back\\slash"]);
    expect(await find("\\")).toEqual(["back\\slash"]);
  });

  it("does not match typos", async () => {
    expect(await find("Shangai")).toEqual([]);
  });
});

describe("buildSearch: fuzzy", () => {
  it("tolerates a typo by trigram word similarity", async () => {
    expect(await find("Shangai", "fuzzy")).toEqual(["Shanghai Trading"]);
    // word_similarity("tradng", "…trading…") is 0.57, under the 0.6 threshold: fuzzy is not unbounded.
    expect(await find("Tradng", "fuzzy")).toEqual([]);
  });

  it("still finds what contains finds, CJK included", async () => {
    expect((await find("张", "fuzzy")).sort()).toEqual(["张伟", "张伟明", "李张"].sort());
    // "500 offers" shares trigrams with "50%", so fuzzy finds it too, ranked below the exact hit.
    expect(await find("50%", "fuzzy")).toEqual(["50% off", "500 offers"]);
  });
});

describe("buildSearch: input", () => {
  it("trims, and treats an empty query as no search", () => {
    expect(buildSearch(undefined)).toBeUndefined();
    expect(buildSearch("   ")).toBeUndefined();
    expect(buildSearch("  x ")?.query).toBe("x");
  });

  it("refuses long queries, bad modes and non-strings", () => {
    const refuse = (q: unknown, mode: unknown, path: string) => {
      try {
        buildSearch(q, mode);
      } catch (e) {
        expect((e as AppError).code).toBe("bad_request");
        expect((e as AppError).issues[0].path).toBe(path);
        return;
      }
      throw new Error("expected a refusal");
    };
    expect(buildSearch("张".repeat(MAX_SEARCH_LENGTH))).toBeDefined();
    refuse("张".repeat(MAX_SEARCH_LENGTH + 1), "contains", "/search");
    refuse("x", "regex", "/searchMode");
    refuse(["x"], "contains", "/search");
    refuse("a\u0000", "contains", "/search");
  });

  it("escapes LIKE wildcards", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
  });
});
