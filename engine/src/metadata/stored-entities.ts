import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";

export interface StoredEntity {
  definition: EntityDefinition;
  revision: number;
}

/** Every stored entity definition by name, read through `knex` (a transaction when planning). */
export async function readStoredEntities(knex: Knex): Promise<Map<string, StoredEntity>> {
  const rows: Array<{ name: string; definition: EntityDefinition; revision: number }> = await knex("kehu.entities")
    .select("name", "definition", "revision")
    .orderBy("name");
  return new Map(rows.map((r) => [r.name, { definition: r.definition, revision: r.revision }]));
}

/** One stored entity, or undefined. */
export async function readStoredEntity(knex: Knex, name: string): Promise<StoredEntity | undefined> {
  const row: { definition: EntityDefinition; revision: number } | undefined = await knex("kehu.entities")
    .where({ name })
    .first("definition", "revision");
  return row ? { definition: row.definition, revision: row.revision } : undefined;
}
