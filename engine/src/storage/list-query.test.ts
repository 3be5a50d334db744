import type { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import type { Database } from "./database";
import { createTableSql } from "./entity-ddl";
import { entityTableRef } from "./identifiers";
import { countRecords, listRecords, selectColumns } from "./list-query";

const customer = {
  name: "customer",
  label: { en: "Customer", zh: "客户" },
  fields: [
    { name: "name", type: "text" },
    { name: "tier", type: "enum", values: ["gold", "potential", "general"] },
    { name: "credit", type: "money" },
    { name: "tags", type: "multienum", values: ["vip", "new"] },
  ],
} as EntityDefinition;

const names = ["张伟", "张伟明", "李张", "Zhang Wei", "Wang Fang", "50% Rabatt", "a_b GmbH", "axb AG"];
const N = 120;
let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  for (const s of createTableSql(customer)) await db.knex.raw(s);
  const rows = Array.from({ length: N }, (_, i) => ({
    name: i < names.length ? names[i] : `Customer ${String(i).padStart(3, "0")}`,
    tier: ["gold", "potential", "general", null][i % 4],
    credit: String(i * 10),
    credit__currency: "CNY",
    tags: i % 3 === 0 ? "{vip}" : null,
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    deleted_at: i === N - 1 ? "2024-01-01T00:00:00Z" : null,
  }));
  await db.knex.batchInsert(entityTableRef("customer"), rows, 100);
});
afterAll(() => db?.close());

const list = (params: Parameters<typeof listRecords>[2]) => listRecords(db.knex, customer, params);
const refusal = (p: Promise<unknown>) => p.then(() => undefined).catch((e) => e as AppError);

describe("listRecords", () => {
  it("returns raw rows with every column but _search, 50 by default", async () => {
    const page = await list({});
    expect(page.rows).toHaveLength(50);
    expect(Object.keys(page.rows[0]).sort()).toEqual(selectColumns(customer).sort());
    expect(page.rows[0]).not.toHaveProperty("_search");
    expect(page.rows[0]).toMatchObject({
      name: "张伟",
      credit: "0",
      credit__currency: "CNY",
      tags: ["vip"],
      version: 1,
    });
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it("ends with a null cursor, also when the last page is exactly full", async () => {
    const first = await list({ limit: 100 });
    expect(first.nextCursor).not.toBeNull();
    const last = await list({ limit: 19, cursor: first.nextCursor! });
    expect(last.rows).toHaveLength(19);
    expect(last.nextCursor).toBeNull();
    expect((await list({ limit: 1000 })).nextCursor).toBeNull();
  });

  it("hides soft-deleted rows unless asked", async () => {
    expect(await countRecords(db.knex, customer)).toBe(N - 1);
    expect(await countRecords(db.knex, customer, { includeDeleted: true })).toBe(N);
    expect((await list({ limit: 1000, includeDeleted: true })).rows).toHaveLength(N);
  });

  it("combines filter, sort and a caller's constraint", async () => {
    const page = await list({
      filter: { tier: { eq: "gold" }, credit: { lt: 300 } },
      sort: "-credit",
      where: (qb) => qb.where("credit", ">", 100),
    });
    expect(page.rows.map((r) => r.credit)).toEqual(["280", "240", "200", "160", "120"]);
    expect(await countRecords(db.knex, customer, { filter: { tier: { eq: "gold" } } })).toBe(30);
  });

  it("searches CJK and latin text, ranked by similarity", async () => {
    const zhang = await list({ search: "张" });
    expect(zhang.rows.map((r) => r.name).sort()).toEqual(["张伟", "张伟明", "李张"].sort());
    expect((await list({ search: "张伟" })).rows.map((r) => r.name)).toEqual(["张伟", "张伟明"]);
    expect((await list({ search: "zhang wei" })).rows.map((r) => r.name)).toEqual(["Zhang Wei"]);
    expect((await list({ search: "%" })).rows.map((r) => r.name)).toEqual(["50% Rabatt"]);
    expect((await list({ search: "a_b" })).rows.map((r) => r.name)).toEqual(["a_b GmbH"]);
    expect(await countRecords(db.knex, customer, { search: "customer 1" })).toBe(19);
    expect(await countRecords(db.knex, customer, { search: "Customr", searchMode: "fuzzy" })).toBe(
      N - 1 - names.length,
    );
  });

  it("sorts a search when asked", async () => {
    const page = await list({ search: "张", sort: "-name" });
    expect(page.rows.map((r) => r.name)).toEqual(["李张", "张伟明", "张伟"]);
  });

  it("refuses bad limits, filters, sorts and searches with a 4xx code", async () => {
    for (const limit of [0, 1001, 1.5, -1, "abc", Number.NaN] as number[]) {
      const e = await refusal(list({ limit }));
      expect(e?.code, String(limit)).toBe("bad_request");
      expect(e?.issues[0].path).toBe("/limit");
    }
    expect((await list({ limit: "20" as unknown as number })).rows).toHaveLength(20);
    expect((await refusal(list({ filter: { nosuch: { eq: 1 } } })))?.code).toBe("bad_filter");
    expect((await refusal(list({ sort: "nosuch" })))?.issues[0].path).toBe("/sort");
    expect((await refusal(list({ search: "x".repeat(201) })))?.issues[0].path).toBe("/search");
    expect((await refusal(list({ cursor: "@@" })))?.issues[0].path).toBe("/cursor");
    expect((await refusal(countRecords(db.knex, customer, { filter: { tier: { eq: "x" } } })))?.code).toBe(
      "bad_filter",
    );
  });
});
