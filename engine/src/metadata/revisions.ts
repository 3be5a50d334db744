import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MigrationPlan } from "./migration-plan";

/** One recorded change of an entity, as the API lists it. */
export interface RevisionEntry {
  id: number;
  actor: string;
  at: string;
  action: string;
  /** The plan's step descriptions. */
  summary: string[];
  plan: MigrationPlan;
  before: EntityDefinition | null;
  after: EntityDefinition | null;
}

/** An entity's revisions, newest first (also after the entity was deleted). */
export async function listRevisions(knex: Knex, entity: string): Promise<RevisionEntry[]> {
  const rows: Array<Omit<RevisionEntry, "summary">> = await knex("kehu.revisions")
    .where({ entity })
    .orderBy("id", "desc")
    .select("id", "actor", "at", "action", "plan", "before", "after");
  return rows.map((r) => ({
    id: Number(r.id),
    actor: r.actor,
    at: r.at,
    action: r.action,
    summary: r.plan.steps.map((s) => s.description),
    plan: r.plan,
    before: r.before,
    after: r.after,
  }));
}
