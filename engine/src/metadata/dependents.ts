import type { Knex } from "knex";

/** What can depend on an entity's field. The first six come from metadata itself; the rest register a source. */
export type DependentKind =
  | "formula"
  | "rollup"
  | "reference"
  | "unique"
  | "index"
  | "title"
  | "form"
  | "workflow"
  | "permission"
  | "sync_mapping"
  | "report";

/**
 * One thing that uses a field (or a whole entity when `field` is absent): a formula, a deployed workflow, a
 * sync mapping... `id` is stable within its kind (a field path, a deployment key and version, a mapping name),
 * and `label` is what a consultant reads in a refusal: `workflow "contract_approval" v3 reads contract.amount`.
 */
export interface Dependent {
  kind: DependentKind;
  id: string;
  label: string;
  /** The entity and field depended on. */
  entity: string;
  field?: string;
}

/** Lists, inside the caller's transaction, every dependant an area knows of. */
export type DependentSource = (knex: Knex) => Promise<Dependent[]>;

/**
 * The sources of dependants outside metadata (forms, workflows, permissions, sync mappings, reports). Each area
 * registers its source once when the engine is built; the impact analysis asks them all.
 */
export class DependentRegistry {
  private readonly sources = new Map<string, DependentSource>();

  register(area: string, source: DependentSource): void {
    this.sources.set(area, source);
  }

  async collect(knex: Knex): Promise<Dependent[]> {
    // One after another: inside a transaction they share one connection, which runs one query at a time.
    const found: Dependent[] = [];
    for (const source of this.sources.values()) found.push(...(await source(knex)));
    return found;
  }
}
