import { AppError, pointer } from "@kehu/core";
import type { Knex } from "knex";
import { syncComputedRoutines } from "../computed/sync-computed";
import type { EngineContext } from "../engine-context";
import { dropTableSql } from "../storage/entity-ddl";
import { assertConfirmed } from "./confirmation";
import { executePlan, type RevisionMeta } from "./execute-plan";
import type { ImpactEntry } from "./impact-analysis";
import { impactOfBatch } from "./impact-of-batch";
import { assertNoBlockingImpact } from "./impact-refusal";
import { lockMetadata } from "./metadata-lock";
import { type MigrationPlan, migrationPlan, step } from "./migration-plan";
import { readStoredEntities, type StoredEntity } from "./stored-entities";

const METADATA_KINDS = new Set(["formula", "rollup", "reference", "unique", "index", "title"]);

export interface DeleteEntityOptions {
  dryRun?: boolean;
  confirm?: boolean;
  actor: string;
  /** Registered dependants (`workflow:contract_approval@3`) the deletion may break on purpose. */
  breaks?: readonly string[];
}

export interface DeleteEntityResult {
  plan: MigrationPlan;
  applied: boolean;
  revision?: number;
  impact: ImpactEntry[];
}

/**
 * Deletes an entity and its table, after archiving every row (soft-deleted ones too) in `kehu.archived_values`.
 * Always destructive, so it needs `confirm`; refused (`conflict`) while another entity's reference field targets it,
 * and (`impact_refused`) while a rollup counts its rows or a registered dependant not named in `breaks` uses it.
 *
 * @example
 * await deleteEntity(ctx, "region", { actor: "alice", confirm: true });
 */
export async function deleteEntity(
  ctx: EngineContext,
  name: string,
  opts: DeleteEntityOptions,
): Promise<DeleteEntityResult> {
  const result = await ctx.db.knex.transaction(async (trx) => {
    await lockMetadata(trx);
    return deleteInTransaction(ctx, trx, name, opts);
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
}

/** `deleteEntity` inside the caller's transaction, which holds the metadata lock; the caller refreshes the registry. */
export async function deleteInTransaction(
  ctx: EngineContext,
  trx: Knex.Transaction,
  name: string,
  opts: DeleteEntityOptions & { revision?: RevisionMeta },
): Promise<DeleteEntityResult> {
  const stored = await readStoredEntities(trx);
  const entity = stored.get(name);
  if (!entity) throw new AppError("unknown_entity", `No entity named "${name}"`);
  assertNotReferenced(name, stored);
  // Metadata dependants (a rollup over this entity) must be changed first: the deletion plans no other entity.
  const breaks = (opts.breaks ?? []).filter((key) => !METADATA_KINDS.has(key.split(":")[0]));
  const { impact, blocking } = await impactOfBatch(trx, ctx.dependents, stored, { batch: [], drop: [name], breaks });
  const dropTable = migrationPlan(name, [
    {
      ...step("drop_table", `Drop table data.${name}; its rows are archived in kehu.archived_values`, [
        dropTableSql(name),
      ]),
      destructive: true,
    },
  ]);
  const plan = impact.length ? { ...dropTable, impact } : dropTable;
  if (opts.dryRun) return { plan, applied: false, impact };
  assertNoBlockingImpact(blocking);
  if (!opts.confirm) assertConfirmed([plan]);
  const revision = await executePlan(
    trx,
    { plan, before: entity.definition, after: undefined },
    opts.actor,
    opts.revision,
  );
  await syncComputedRoutines(trx, stored);
  return { plan, applied: true, revision, impact };
}

function assertNotReferenced(name: string, stored: Map<string, StoredEntity>): void {
  const issues = [...stored.values()].flatMap(({ definition }) =>
    definition.name === name
      ? []
      : definition.fields.flatMap((f, i) =>
          f.type === "reference" && f.target === name
            ? [
                {
                  path: `/${definition.name}${pointer("fields", i, "target")}`,
                  message: `${definition.name}.${f.name} refers to ${name}`,
                },
              ]
            : [],
        ),
  );
  if (issues.length)
    throw new AppError(
      "conflict",
      `${name} is referenced by ${issues.map((i) => i.message.split(" ")[0]).join(", ")}; remove or retarget those fields first`,
      issues,
    );
}
