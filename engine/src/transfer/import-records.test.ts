import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import { loadAccess } from "../security/load-access";
import type { Database } from "../storage/database";
import { defineEntities } from "../testing/define-entities";
import { openTestDatabase } from "../testing/test-database";
import { importRecords } from "./import-records";
import type { SheetRow } from "./sheet-row";

const item: EntityDefinition = {
  name: "item",
  fields: [
    { name: "code", type: "text", unique: true },
    { name: "name", type: "text", required: true },
  ],
};

let db: Database;
let engine: Engine;
beforeAll(async () => {
  db = await openTestDatabase();
  engine = await createEngine(db, createLogger("silent"));
  await defineEntities(engine.ctx, [item]);
});
afterAll(async () => {
  await engine?.close();
  await db?.close();
});

async function* sheet(n: number, code: (i: number) => string): AsyncGenerator<SheetRow> {
  yield { row: 1, cells: ["code", "name"] };
  for (let i = 0; i < n; i++) yield { row: i + 2, cells: [code(i), `货品 ${i}`] };
}

describe("importRecords", () => {
  it("reports progress after the first 1,000 rows, then in chunks that double up to the chunk size", async () => {
    const progress: number[] = [];
    const result = await importRecords(
      { knex: db.knex, registry: engine.ctx.registry, access: await loadAccess(engine.ctx, undefined), actor: "t" },
      item,
      sheet(20_000, (i) => (i === 6_500 ? "P3" : `P${i}`)),
      { mode: "skip-invalid", onProgress: (rows) => progress.push(rows) },
    );
    expect(progress).toEqual([1_000, 3_000, 7_000, 15_000, 20_000]);
    // A value repeated in a later chunk is still caught, naming the row of the first.
    expect(result).toMatchObject({ created: 19_999, skipped: 1 });
    expect(result.errors).toEqual([
      { row: 6_502, column: "code", field: "code", message: 'repeats code "P3" of row 5' },
    ]);
    expect(Number((await db.knex("data.item").count({ n: "*" }))[0].n)).toBe(19_999);
  }, 180_000);
});
