import { AppError, pointer } from "@kehu/core";
import type { EngineContext } from "../engine-context";
import { dropTableSql } from "../storage/entity-ddl";
import { assertConfirmed } from "./confirmation";
import { executePlan } from "./execute-plan";
import { lockMetadata } from "./metadata-lock";
import { type MigrationPlan, migrationPlan, step } from "./migration-plan";
import { readStoredEntities, type StoredEntity } from "./stored-entities";

export interface DeleteEntityOptions {
  dryRun?: boolean;
  confirm?: boolean;
  actor: string;
}

export interface DeleteEntityResult {
  plan: MigrationPlan;
  applied: boolean;
  revision?: number;
}

/**
 * Deletes an entity and its table, after archiving every row (soft-deleted ones too) in `kehu.archived_values`.
 * Always destructive, so it needs `confirm`; refused (`conflict`) while another entity's reference field targets it.
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
    const stored = await readStoredEntities(trx);
    const entity = stored.get(name);
    if (!entity) throw new AppError("unknown_entity", `No entity named "${name}"`);
    assertNotReferenced(name, stored);
    const plan = migrationPlan(name, [
      {
        ...step("drop_table", `Drop table data.${name}; its rows are archived in kehu.archived_values`, [
          dropTableSql(name),
        ]),
        destructive: true,
      },
    ]);
    if (opts.dryRun) return { plan, applied: false };
    if (!opts.confirm) assertConfirmed([plan]);
    const revision = await executePlan(trx, { plan, before: entity.definition, after: undefined }, opts.actor);
    return { plan, applied: true, revision };
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
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
