import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { defineEntities } from "../testing/define-entities";
import { openTestDatabase } from "../testing/test-database";
import { type ChunkItem, type ChunkWriter, writeChunk } from "./import-chunk";

const item: EntityDefinition = {
  name: "item",
  fields: [
    { name: "name", type: "text", required: true },
    { name: "code", type: "text", unique: true },
    { name: "sku", type: "text", unique: true },
  ],
};

let db: Database;
let engine: Engine;
let writer: ChunkWriter;
beforeAll(async () => {
  db = await openTestDatabase();
  engine = await createEngine(db, createLogger("silent"));
  await defineEntities(engine.ctx, [item]);
  writer = { knex: db.knex, entity: item, actor: "test", security: {}, columnOf: (f) => `Column ${f}` };
});
afterAll(async () => {
  await engine?.close();
  await db?.close();
});

const rows = (n: number, at: (i: number) => Record<string, unknown>): ChunkItem[] =>
  Array.from({ length: n }, (_, i) => ({ row: i + 2, body: { name: `n${i}`, ...at(i) } }));

describe("writeChunk", () => {
  it("writes every row the database accepts and reports exactly the ones it refuses", async () => {
    await db.knex("data.item").insert([{ name: "held", code: "TAKEN", sku: "SKU-TAKEN" }]);
    // Unique values taken by a stored record: the batch fails in the database, so the refused rows must be isolated.
    const items = rows(50, (i) => ({
      code: i === 3 || i === 40 ? "TAKEN" : `c${i}`,
      sku: i === 17 ? "SKU-TAKEN" : `s${i}`,
    }));
    const result = await writeChunk(writer, items);
    expect(result.created).toBe(47);
    expect(result.errors.map((e) => [e.row, e.column, e.field])).toEqual(
      expect.arrayContaining([
        [5, "Column code", "code"],
        [42, "Column code", "code"],
        [19, "Column sku", "sku"],
      ]),
    );
    expect(result.errors).toHaveLength(3);
    expect(Number((await db.knex("data.item").count({ n: "*" }))[0].n)).toBe(48);
  });

  it("reports validation problems by row with the column of the field", async () => {
    const result = await writeChunk(writer, [
      { row: 7, body: { code: "v1" } },
      { row: 8, body: { name: "ok", code: "v2" } },
    ]);
    expect(result.created).toBe(1);
    expect(result.errors).toEqual([{ row: 7, column: "Column name", field: "name", message: "is required" }]);
  });
});
