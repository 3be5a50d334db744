import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";

/**
 * The current entity definitions, read from `kehu.entities` and kept in memory. Writers call
 * `refresh()` after they commit a change; readers never touch the database for metadata.
 */
export class MetadataRegistry {
  private entities = new Map<string, { definition: EntityDefinition; revision: number }>();

  constructor(private readonly knex: Knex) {}

  /** Re-reads every entity definition. */
  async refresh(): Promise<void> {
    const rows: Array<{ name: string; definition: EntityDefinition; revision: number }> = await this.knex(
      "kehu.entities",
    ).select("name", "definition", "revision");
    this.entities = new Map(rows.map((r) => [r.name, { definition: r.definition, revision: r.revision }]));
  }

  get(name: string): EntityDefinition | undefined {
    return this.entities.get(name)?.definition;
  }

  /** The entity's revision number; it grows with every applied change. */
  revision(name: string): number | undefined {
    return this.entities.get(name)?.revision;
  }

  /** The entity, or an `unknown_entity` error naming it. */
  require(name: string): EntityDefinition {
    const found = this.get(name);
    if (!found) throw new AppError("unknown_entity", `No entity named "${name}"`);
    return found;
  }

  has(name: string): boolean {
    return this.entities.has(name);
  }

  /** All entities, sorted by name. */
  list(): EntityDefinition[] {
    return [...this.entities.values()].map((e) => e.definition).sort((a, b) => a.name.localeCompare(b.name));
  }
}
