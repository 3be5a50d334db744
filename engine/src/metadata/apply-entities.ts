import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { syncComputedRoutines } from "../computed/sync-computed";
import type { EngineContext } from "../engine-context";
import { assertConfirmed } from "./confirmation";
import { assertDataFits } from "./data-checks";
import { executePlan, type PlannedChange, type RevisionMeta } from "./execute-plan";
import { withFieldIds } from "./field-ids";
import type { ImpactEntry } from "./impact-analysis";
import { impactOfBatch } from "./impact-of-batch";
import { assertNoBlockingImpact } from "./impact-refusal";
import { lockMetadata } from "./metadata-lock";
import type { MigrationPlan } from "./migration-plan";
import { planMigration } from "./plan-migration";
import { readStoredEntities, type StoredEntity } from "./stored-entities";
import { assertValidBatch } from "./validate-batch";

export interface ApplyOptions {
  /** Plan and check against the data, write nothing. */
  dryRun?: boolean;
  /** Allow destructive steps (dropped fields); their data is archived first. */
  confirm?: boolean;
  /** Who makes the change, kept in each revision. */
  actor: string;
  /** For the API: refuse (`conflict`) an entity that exists, or (`unknown_entity`) one that does not. */
  expect?: "new" | "existing";
  /** Dependant keys (`formula:contract.total`, `workflow:contract_approval@3`) the change may break on purpose. */
  breaks?: readonly string[];
}

/** What a revert adds to an apply: how its revisions are recorded, and the restore of archived data. */
export interface ApplyInternals {
  revision?: RevisionMeta;
  /** Changes each plan before its data checks run (a revert refills re-added columns from the archive). */
  adjustPlan?: (plan: MigrationPlan) => MigrationPlan;
}

export interface ApplyResult {
  /** One plan per definition, in order; an unchanged definition has an empty plan. */
  plans: MigrationPlan[];
  /** Whether anything was written: false for a dry run or when nothing changed. */
  applied: boolean;
  /** The revision ids written, one per changed entity. */
  revisions: number[];
  /** Every dependant the change touches and how it is left; a dry run lists the blocking ones too. */
  impact: ImpactEntry[];
}

/**
 * Applies entity definitions as one change: finds what the change breaks (formulas, rollups, keys, registered
 * dependants) and refuses (`impact_refused`) unless the batch fixes each or `breaks` names it, follows renames
 * in the fields' uses, validates them all (every issue in one `validation_failed`), plans each against its stored definition, refuses destructive steps without `confirm`, checks the existing
 * data, then runs every plan in one transaction under the metadata lock, writing one revision per changed
 * entity. Applying the same definitions again is a no-op.
 *
 * @example
 * await applyEntities(ctx, [customer, contract], { actor: "alice" });
 * // {plans: [{entity: "customer", steps: [...], destructive: false}, ...], applied: true, revisions: [7, 8]}
 */
export async function applyEntities(
  ctx: EngineContext,
  definitions: EntityDefinition[],
  opts: ApplyOptions,
): Promise<ApplyResult> {
  if (!Array.isArray(definitions)) throw new AppError("bad_request", "Send a list of entity definitions");
  const result = await ctx.db.knex.transaction(async (trx) => {
    await lockMetadata(trx);
    return applyInTransaction(ctx, trx, definitions, opts);
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
}

/** `applyEntities` inside the caller's transaction, which holds the metadata lock; the caller refreshes the registry. */
export async function applyInTransaction(
  ctx: EngineContext,
  trx: Knex.Transaction,
  definitions: EntityDefinition[],
  opts: ApplyOptions & ApplyInternals,
): Promise<ApplyResult> {
  const stored = await readStoredEntities(trx);
  const analysis = await impactOfBatch(trx, ctx.dependents, stored, { batch: definitions, ...opts });
  if (!opts.dryRun) assertNoBlockingImpact(analysis.blocking);
  const batch = analysis.definitions;
  assertValidBatch(batch, new Set(stored.keys()), stored);
  if (opts.expect) assertExpected(definitions, stored, opts.expect);
  const changes = batch.map((next) => plannedChange(stored.get(next.name), next));
  for (const c of changes) {
    const touched = analysis.impact.filter((e) => e.entity === c.plan.entity);
    if (touched.length && c.plan.steps.length) c.plan = { ...c.plan, impact: touched };
    if (opts.adjustPlan) c.plan = opts.adjustPlan(c.plan);
  }
  const plans = changes.map((c) => c.plan);
  if (!opts.dryRun && !opts.confirm) assertConfirmed(plans);
  await assertDataFits(trx, plans);
  const revisions: number[] = [];
  if (!opts.dryRun)
    for (const change of changes)
      if (change.plan.steps.length) revisions.push(await executePlan(trx, change, opts.actor, opts.revision));
  if (revisions.length) await syncComputedRoutines(trx, stored);
  return { plans, applied: revisions.length > 0, revisions, impact: analysis.impact };
}

function plannedChange(stored: StoredEntity | undefined, next: EntityDefinition): PlannedChange {
  const before = stored?.definition;
  const after = withFieldIds(next, before);
  return { plan: planMigration(before, after), before, after };
}

function assertExpected(
  definitions: EntityDefinition[],
  stored: Map<string, StoredEntity>,
  expect: "new" | "existing",
) {
  for (const { name } of definitions) {
    if (expect === "new" && stored.has(name))
      throw new AppError("conflict", `An entity named "${name}" already exists; change it with PUT`, [
        { path: "/name", message: "is taken" },
      ]);
    if (expect === "existing" && !stored.has(name)) throw new AppError("unknown_entity", `No entity named "${name}"`);
  }
}
