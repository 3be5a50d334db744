import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import { afterCursor, decodeCursor, encodeCursor, queryFingerprint } from "./cursor";
import type { Database } from "./database";
import { createTableSql } from "./entity-ddl";
import { compileFilter } from "./filter-compiler";
import { entityTableRef } from "./identifiers";
import { type ListParams, listRecords } from "./list-query";
import { buildSearch } from "./search-clause";
import { orderBySql, parseSort, rankSort } from "./sort-spec";

const deal = {
  name: "deal",
  label: { en: "Deal" },
  fields: [
    { name: "name", type: "text" },
    { name: "tier", type: "enum", values: ["gold", "potential", "general"] },
    { name: "amount", type: "decimal" },
    { name: "credit", type: "money" },
    { name: "signed_on", type: "date" },
    { name: "active", type: "boolean" },
  ],
  indexes: [{ fields: ["tier", "amount"] }],
} as EntityDefinition;

const ROWS = 237;
let db: Database;

/** A small deterministic generator, so failures reproduce. */
function lcg(seed: number) {
  let s = seed;
  return <T>(items: readonly T[]): T => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return items[s % items.length];
  };
}

beforeAll(async () => {
  db = await openTestDatabase();
  for (const s of createTableSql(deal)) await db.knex.raw(s);
  const pick = lcg(7);
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    name: pick(["Zhang Wei", "zhang", "张伟", "Li", "li", null, "Ärger", "_x", "a%b"]),
    tier: pick(["gold", "potential", "general", null]),
    amount: pick(["1", "2.5", "2.50", null, "-3", "100", "0"]),
    credit: pick(["10", null, "10.00"]),
    credit__currency: pick(["CNY", "USD", null]),
    signed_on: pick(["2024-01-01", "2023-06-30", null]),
    active: pick([true, false, null]),
    // Only 20 distinct instants: plenty of ties for the id tiebreaker.
    created_at: `2024-05-${String(1 + (i % 20)).padStart(2, "0")}T10:00:00.123456Z`,
    deleted_at: i % 50 === 49 ? "2024-06-01T00:00:00Z" : null,
  }));
  await db.knex.batchInsert(entityTableRef("deal"), rows, 100);
});
afterAll(() => db?.close());

async function pageThrough(params: ListParams, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await listRecords(db.knex, deal, { ...params, limit, cursor });
    ids.push(...page.rows.map((r) => r.id as string));
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor === null) return ids;
    expect(page.rows.length).toBe(limit);
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

async function oneBigQuery(sort: string | undefined, extra?: { filter?: unknown; search?: string }): Promise<string[]> {
  const query = db.knex(entityTableRef(deal.name)).whereNull("deleted_at");
  const search = buildSearch(extra?.search);
  const spec = search && !sort ? rankSort(search.rank) : parseSort(deal, sort);
  if (search) query.whereRaw(search.where.sql, search.where.bindings);
  if (extra?.filter) {
    const f = compileFilter(deal, extra.filter);
    query.whereRaw(f.sql, f.bindings);
  }
  const order = orderBySql(spec.keys);
  return (await query.orderByRaw(order.sql, order.bindings).pluck("id")) as string[];
}

describe("keyset pagination", () => {
  const sorts = [
    "-tier,amount",
    "tier,-amount",
    "amount",
    "-amount",
    "name",
    "-name,signed_on",
    "signed_on,-tier,credit",
    "-credit.currency,active",
    "created_at",
    "-created_at",
    "version,-created_at",
    "id",
    "-id",
    undefined,
  ];
  it.each(sorts)("visits every row exactly once, in ORDER BY order, sorting by %s", async (sort) => {
    const expected = await oneBigQuery(sort);
    expect(expected).toHaveLength(ROWS - 4);
    for (const limit of [1, 7, 50]) {
      if (limit === 1 && sort !== "-tier,amount") continue; // one-row pages once is enough
      const ids = await pageThrough({ sort }, limit);
      expect(ids).toEqual(expected);
    }
  });

  it("pages a filtered list", async () => {
    const filter = { or: [{ amount: { ne: "2.5" } }, { tier: { isNull: true } }] };
    const expected = await oneBigQuery("-tier,amount", { filter });
    expect(expected.length).toBeGreaterThan(100);
    expect(await pageThrough({ sort: "-tier,amount", filter }, 13)).toEqual(expected);
  });

  it("pages a ranked search with a keyset on (rank, id)", async () => {
    const expected = await oneBigQuery(undefined, { search: "zhang" });
    expect(expected.length).toBeGreaterThan(20);
    expect(await pageThrough({ search: "zhang" }, 6)).toEqual(expected);
    const sorted = await oneBigQuery("name", { search: "zhang" });
    expect(await pageThrough({ search: "zhang", sort: "name" }, 6)).toEqual(sorted);
  });

  it("refuses a cursor from another sort, filter or search", async () => {
    const page = await listRecords(db.knex, deal, { sort: "-tier,amount", limit: 5 });
    const cursor = page.nextCursor!;
    expect((await listRecords(db.knex, deal, { sort: "-tier,amount,id", limit: 5, cursor })).rows).toHaveLength(5);
    const others: ListParams[] = [
      { sort: "amount" },
      { sort: "-tier,-amount" },
      { sort: "-tier,amount", filter: { tier: { eq: "gold" } } },
      { sort: "-tier,amount", search: "zhang" },
      { sort: "-tier,amount", includeDeleted: true },
    ];
    for (const other of others) {
      const e = await listRecords(db.knex, deal, { ...other, limit: 5, cursor }).catch((x) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e.code).toBe("bad_request");
      expect(e.issues[0]).toEqual({ path: "/cursor", message: expect.stringMatching(/different query/) });
    }
  });
});

describe("cursor encoding", () => {
  const spec = parseSort(deal, "-tier,amount");
  const fp = queryFingerprint({ sort: spec.text });
  const row = { tier: null, amount: "2.50", id: "11111111-1111-4111-8111-111111111111" };

  it("round-trips the sort values of a row", () => {
    const cursor = encodeCursor(spec, row, fp);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, spec, fp)).toEqual([null, "2.50", row.id]);
  });

  it("fingerprints objects regardless of key order", () => {
    expect(queryFingerprint({ a: 1, b: [{ x: 1, y: 2 }] })).toBe(queryFingerprint({ b: [{ y: 2, x: 1 }], a: 1 }));
    expect(queryFingerprint({ a: 1 })).not.toBe(queryFingerprint({ a: 2 }));
  });

  it("refuses malformed or tampered cursors as a 400", () => {
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64url");
    const bad = [
      "not base64!",
      "",
      Buffer.from("not json").toString("base64url"),
      forge(null),
      forge({ f: fp }),
      forge({ f: fp, k: ["gold", "1"] }),
      forge({ f: fp, k: ["gold", "1; DROP", row.id] }),
      forge({ f: fp, k: ["gold", "1", null] }),
      forge({ f: fp, k: ["gold", "1", "x"] }),
      forge({ f: fp, k: [5, "1", row.id] }),
      forge({ f: "other", k: ["gold", "1", row.id] }),
      "A".repeat(70_000),
    ];
    for (const cursor of bad) {
      const e = (() => {
        try {
          decodeCursor(cursor, spec, fp);
        } catch (x) {
          return x as AppError;
        }
      })();
      expect(e, cursor.slice(0, 40)).toBeInstanceOf(AppError);
      expect(e?.code).toBe("bad_request");
      expect(e?.issues[0].path).toBe("/cursor");
    }
  });

  const show = (segments: ReturnType<typeof afterCursor>) =>
    segments.map((s) => [s.where.sql, s.where.bindings, s.order.map((k) => (k.desc ? `-${k.field}` : k.field)).join()]);

  it("uses one row comparison when all keys are NOT NULL in one direction", () => {
    const ts = "2024-01-01T00:00:00Z";
    expect(show(afterCursor(parseSort(deal, "-created_at"), [ts, row.id]))).toEqual([
      ['("created_at", "id") < (?, ?)', [ts, row.id], "-created_at,-id"],
    ]);
    expect(show(afterCursor(parseSort(deal, "id"), [row.id]))).toEqual([['"id" > ?', [row.id], "id"]]);
  });

  it("gives the NULLs of a nullable key their own segment, ordered by the keys that still vary", () => {
    const asc = parseSort(deal, "amount");
    expect(show(afterCursor(asc, ["2.5", row.id]))).toEqual([
      ['("amount", "id") > (?, ?)', ["2.5", row.id], "amount,id"],
      ['"amount" IS NULL', [], "id"],
    ]);
    expect(show(afterCursor(asc, [null, row.id]))).toEqual([['("amount" IS NULL AND "id" > ?)', [row.id], "id"]]);
    const desc = parseSort(deal, "-amount");
    expect(show(afterCursor(desc, ["2.5", row.id]))).toEqual([
      ['("amount", "id") < (?, ?)', ["2.5", row.id], "-amount,-id"],
    ]);
    expect(show(afterCursor(desc, [null, row.id]))).toEqual([
      ['("amount" IS NULL AND "id" < ?)', [row.id], "-id"],
      ['"amount" IS NOT NULL', [], "-amount,-id"],
    ]);
  });

  it("fixes a prefix per segment for mixed directions", () => {
    expect(show(afterCursor(spec, ["gold", "2.5", row.id]))).toEqual([
      ['("tier" = ? AND ("amount", "id") > (?, ?))', ["gold", "2.5", row.id], "amount,id"],
      ['("tier" = ? AND "amount" IS NULL)', ["gold"], "id"],
      ['"tier" < ?', ["gold"], "-tier,amount,id"],
    ]);
    // After a NULL tier (DESC: NULLs first) come all non-null tiers; after a NULL amount (ASC: NULLs last), nothing.
    expect(show(afterCursor(spec, [null, null, row.id]))).toEqual([
      ['("tier" IS NULL AND "amount" IS NULL AND "id" > ?)', [row.id], "id"],
      ['"tier" IS NOT NULL', [], "-tier,amount,id"],
    ]);
  });
});
