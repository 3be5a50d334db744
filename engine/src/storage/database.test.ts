import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../testing/test-database";
import type { Database } from "./database";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe("database", () => {
  it("has Kehu's system schema and reads values the same on both backends", async () => {
    const tables = await db.knex("information_schema.tables").where({ table_schema: "kehu" }).pluck("table_name");
    expect(tables).toEqual(expect.arrayContaining(["entities", "revisions", "system_migrations"]));
    const { rows } = await db.knex.raw(
      "SELECT '1.50'::numeric AS n, 5::int8 AS i, '2024-01-02'::date AS d, '2024-01-02 03:04:05.123456+08'::timestamptz AS ts",
    );
    expect(rows[0]).toEqual({ n: "1.50", i: 5, d: "2024-01-02", ts: "2024-01-01T19:04:05.123456Z" });
  });

  it("answers a delete with the number of rows it deleted, 0 when there were none, on both backends", async () => {
    await db.knex.raw("CREATE TEMP TABLE deletable (id int)");
    await db.knex("deletable").insert([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await db.knex("deletable").where("id", "<", 3).delete()).toBe(2);
    expect(await db.knex("deletable").where({ id: 1 }).delete()).toBe(0);
    expect(await db.knex("deletable").where({ id: 3 }).update({ id: 4 })).toBe(1);
  });

  it("finds one and two CJK characters with trigram similarity and ILIKE", async () => {
    const { rows } = await db.knex.raw("SELECT similarity('张伟', '张伟明') AS s, '张伟明' ILIKE '%张%' AS hit");
    expect(rows[0].s).toBeGreaterThan(0);
    expect(rows[0].hit).toBe(true);
  });
});
