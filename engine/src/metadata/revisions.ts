import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MigrationPlan } from "./migration-plan";
import { type RevisionDiff, revisionDiff } from "./revision-diff";

/** One recorded change of an entity, as the API lists it. */
export interface RevisionEntry {
  id: number;
  entity: string;
  actor: string;
  at: string;
  action: string;
  /** For a revert, the revision it undid. */
  reverts: number | null;
  /** The plan's step descriptions. */
  summary: string[];
  diff: RevisionDiff;
  plan: MigrationPlan;
  before: EntityDefinition | null;
  after: EntityDefinition | null;
}

type RevisionRow = Omit<RevisionEntry, "summary" | "diff">;

/** Which revisions to list: one entity's (also after it was deleted) or all, newest first, a page at a time. */
export interface RevisionQuery {
  entity?: string;
  /** Only revisions older than this id (the previous page's last). */
  before?: number;
  limit?: number;
}

/** Revisions, newest first. */
export async function listRevisions(knex: Knex, query: string | RevisionQuery): Promise<RevisionEntry[]> {
  const q = typeof query === "string" ? { entity: query } : query;
  let builder = knex("kehu.revisions").orderBy("id", "desc");
  if (q.entity !== undefined) builder = builder.where({ entity: q.entity });
  if (q.before !== undefined) builder = builder.where("id", "<", q.before);
  if (q.limit !== undefined) builder = builder.limit(q.limit);
  const rows: RevisionRow[] = await builder.select(
    "id",
    "entity",
    "actor",
    "at",
    "action",
    "reverts",
    "plan",
    "before",
    "after",
  );
  return rows.map(revisionEntry);
}

/** One revision, or undefined. */
export async function readRevisionEntry(knex: Knex, id: number): Promise<RevisionEntry | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row: RevisionRow | undefined = await knex("kehu.revisions").where({ id }).first();
  return row ? revisionEntry(row) : undefined;
}

function revisionEntry(r: RevisionRow): RevisionEntry {
  return {
    id: Number(r.id),
    entity: r.entity,
    actor: r.actor,
    at: r.at,
    action: r.action,
    reverts: r.reverts === null || r.reverts === undefined ? null : Number(r.reverts),
    summary: r.plan.steps.map((s) => s.description),
    diff: revisionDiff(r.before, r.after),
    plan: r.plan,
    before: r.before,
    after: r.after,
  };
}
