import type { EntityDefinition } from "@kehu/schema";
import type { EngineContext } from "../engine-context";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { DependentRegistry } from "./dependents";
import { MetadataRegistry } from "./registry";

/** An engine context on a fresh test database, for the metadata tests (no HTTP). */
export async function openMetadataTestContext(): Promise<EngineContext & { close(): Promise<void> }> {
  const db: Database = await openTestDatabase();
  const registry = new MetadataRegistry(db.knex);
  await registry.refresh();
  return { db, registry, logger: createLogger("silent"), dependents: new DependentRegistry(), close: () => db.close() };
}

/** Column name → SQL type (`text`, `bigint`, `numeric`, `_text` for text[], ...) of an entity table. */
export async function columnTypes(ctx: EngineContext, entity: string): Promise<Record<string, string>> {
  const rows: Array<{ column_name: string; data_type: string; udt_name: string }> = await ctx.db
    .knex("information_schema.columns")
    .where({ table_schema: "data", table_name: entity })
    .select("column_name", "data_type", "udt_name");
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type === "ARRAY" ? r.udt_name : r.data_type]));
}

/** Inserts rows straight into an entity table and returns their ids, in order. */
export async function insertRows(
  ctx: EngineContext,
  entity: string,
  rows: Array<Record<string, unknown>>,
): Promise<string[]> {
  const inserted: Array<{ id: string }> = await ctx.db.knex(`data.${entity}`).insert(rows).returning("id");
  return inserted.map((r) => r.id);
}

/** Rows of an entity table, ordered by their `name`. */
export async function selectRows(
  ctx: EngineContext,
  entity: string,
  columns: string[],
): Promise<Array<Record<string, unknown>>> {
  return ctx.db.knex(`data.${entity}`).select(columns).orderBy("name");
}

export async function revisionCount(ctx: EngineContext, entity: string): Promise<number> {
  const [{ n }] = await ctx.db.knex("kehu.revisions").where({ entity }).count<Array<{ n: number }>>({ n: "*" });
  return Number(n);
}

/** A customer entity as consultants write it, named `name` so each test can have its own table. */
export function customerEntity(name = "customer", extra: EntityDefinition["fields"] = []): EntityDefinition {
  return {
    name,
    label: { en: "Customer", zh: "客户" },
    titleField: "name",
    ownership: "department",
    fields: [
      { name: "name", type: "text", required: true },
      { name: "code", type: "text" },
      { name: "tier", type: "enum", values: ["gold", "potential", "general"] },
      { name: "credit", type: "money" },
      ...extra,
    ],
  };
}
