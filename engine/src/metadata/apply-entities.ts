import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { syncComputedRoutines } from "../computed/sync-computed";
import type { EngineContext } from "../engine-context";
import { assertConfirmed } from "./confirmation";
import { assertDataFits } from "./data-checks";
import { executePlan, type PlannedChange } from "./execute-plan";
import { withFieldIds } from "./field-ids";
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
}

export interface ApplyResult {
  /** One plan per definition, in order; an unchanged definition has an empty plan. */
  plans: MigrationPlan[];
  /** Whether anything was written: false for a dry run or when nothing changed. */
  applied: boolean;
  /** The revision ids written, one per changed entity. */
  revisions: number[];
}

/**
 * Applies entity definitions as one change: validates them all (every issue in one `validation_failed`),
 * plans each against its stored definition, refuses destructive steps without `confirm`, checks the existing
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
    const stored = await readStoredEntities(trx);
    assertValidBatch(definitions, new Set(stored.keys()), stored);
    if (opts.expect) assertExpected(definitions, stored, opts.expect);
    const changes = definitions.map((next) => plannedChange(stored.get(next.name), next));
    const plans = changes.map((c) => c.plan);
    if (!opts.dryRun && !opts.confirm) assertConfirmed(plans);
    await assertDataFits(trx, plans);
    const revisions: number[] = [];
    if (!opts.dryRun)
      for (const change of changes)
        if (change.plan.steps.length) revisions.push(await executePlan(trx, change, opts.actor));
    if (revisions.length) await syncComputedRoutines(trx, stored);
    return { plans, applied: revisions.length > 0, revisions };
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
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
