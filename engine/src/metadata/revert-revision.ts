import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { applyInTransaction } from "./apply-entities";
import { sameJson } from "./definition-equality";
import { deleteInTransaction } from "./delete-entity";
import type { ImpactEntry } from "./impact-analysis";
import { lockMetadata } from "./metadata-lock";
import type { MigrationPlan } from "./migration-plan";
import { withRestoredData } from "./revert-restore";
import { readStoredEntity } from "./stored-entities";

export interface RevertOptions {
  dryRun?: boolean;
  /** Allow the destructive steps of the inverse (dropping what the revision added); their data is archived. */
  confirm?: boolean;
  actor: string;
  /** Dependant keys the revert may break on purpose, as for an apply. */
  breaks?: readonly string[];
}

export interface RevertResult {
  /** The revision undone. */
  reverts: number;
  entity: string;
  plan: MigrationPlan;
  applied: boolean;
  /** The new revisions (action `revert`): the entity's, then any other entity whose uses followed a rename. */
  revisions: number[];
  impact: ImpactEntry[];
}

interface StoredRevision {
  id: number;
  entity: string;
  action: string;
  before: EntityDefinition | null;
  after: EntityDefinition | null;
}

/**
 * Undoes a revision by applying its inverse as a new revision (action `revert`, pointing at it): the `before`
 * definition with its field ids, so a rename reverts to a rename, a dropped field comes back with its archived
 * values, an added field is dropped (archived, needs `confirm`), a created entity is deleted (`confirm`) and a
 * deleted one re-created with its archived rows. Refused (`conflict`) while later revisions of the entity
 * exist: those are reverted first, newest first.
 *
 * @example
 * await revertRevision(ctx, 12, { actor: "alice", confirm: true });
 * // {reverts: 12, entity: "contract", applied: true, revisions: [15], plan: {...}, impact: []}
 */
export async function revertRevision(ctx: EngineContext, id: number, opts: RevertOptions): Promise<RevertResult> {
  const result = await ctx.db.knex.transaction(async (trx) => {
    await lockMetadata(trx);
    const revision = await readRevision(trx, id);
    await assertRevertible(trx, revision);
    const meta = { action: "revert" as const, reverts: id };
    const base = { reverts: id, entity: revision.entity };
    if (!revision.before) {
      const done = await deleteInTransaction(ctx, trx, revision.entity, { ...opts, revision: meta });
      return {
        ...base,
        plan: done.plan,
        applied: done.applied,
        revisions: done.revision ? [done.revision] : [],
        impact: done.impact,
      };
    }
    const before = revision.before;
    const kept = new Set(revision.after?.fields.map((f) => f.id) ?? []);
    const dropped = new Set(before.fields.filter((f) => !kept.has(f.id)).map((f) => f.name));
    const done = await applyInTransaction(ctx, trx, [before], {
      ...opts,
      revision: meta,
      adjustPlan: (plan) => (plan.entity === revision.entity ? withRestoredData(plan, id, before, dropped) : plan),
    });
    const plan = done.plans.find((p) => p.entity === revision.entity) ?? done.plans[0];
    return { ...base, plan, applied: done.applied, revisions: done.revisions, impact: done.impact };
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
}

async function readRevision(knex: Knex, id: number): Promise<StoredRevision> {
  const row: StoredRevision | undefined = Number.isSafeInteger(id)
    ? await knex("kehu.revisions").where({ id }).first("id", "entity", "action", "before", "after")
    : undefined;
  if (!row) throw new AppError("not_found", `No revision ${id}`);
  return { ...row, id: Number(row.id) };
}

/** Only the newest revision of an entity is undone, and only while the entity is as that revision left it. */
async function assertRevertible(knex: Knex, revision: StoredRevision): Promise<void> {
  const later: Array<{ id: string; action: string }> = await knex("kehu.revisions")
    .where("entity", revision.entity)
    .where("id", ">", revision.id)
    .orderBy("id", "desc")
    .select("id", "action");
  if (later.length) {
    const ids = later.map((r) => Number(r.id));
    throw new AppError(
      "conflict",
      `Revision ${revision.id} of ${revision.entity} cannot be reverted while later revisions changed it: revert ${ids.join(", ")} first (newest first)`,
      later.map((r) => ({
        path: `/revisions/${r.id}`,
        message: `revision ${r.id} (${r.action}) of ${revision.entity} came later`,
      })),
      { later: ids },
    );
  }
  const current = (await readStoredEntity(knex, revision.entity))?.definition ?? null;
  if (!sameJson(current, revision.after))
    throw new AppError(
      "conflict",
      `${revision.entity} is no longer as revision ${revision.id} left it, so the revision cannot be reverted`,
    );
}
