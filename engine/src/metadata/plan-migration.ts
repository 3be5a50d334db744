import type { EntityDefinition } from "@kehu/schema";
import { createTableSql } from "../storage/entity-ddl";
import { sameDefinition } from "./definition-equality";
import { withFieldIds } from "./field-ids";
import { type MigrationPlan, type MigrationStep, migrationPlan, step } from "./migration-plan";
import { planContext } from "./plan-context";
import { addFieldStep, changeTypeSteps, dropFieldStep, renameSteps, ruleSteps } from "./plan-field-steps";
import { indexChanges } from "./plan-index-steps";
import { metadataStep } from "./plan-metadata-step";
import { searchRebuild } from "./plan-search-steps";

/**
 * The steps that take an entity from its stored definition (`old`, undefined for a new entity) to `next`.
 * Fields pair up by id, then `renamedFrom`, then name, so a rename keeps its data. Statements are ordered so
 * each one finds the table as it needs it: index drops, search column drop, field drops, renames, type
 * changes, additions, rule changes, then new indexes and the search column. Pure: data is only looked at
 * later, through the steps' checks. Throws `migration_refused` for a type change no data could allow.
 *
 * @example
 * planMigration(stored, {...stored, fields: [...stored.fields, {name: "vip", type: "boolean", default: false}]})
 * // {entity: "customer", destructive: false, steps: [{kind: "add_field", field: "vip", sql: [...], ...}]}
 */
export function planMigration(old: EntityDefinition | undefined, next: EntityDefinition): MigrationPlan {
  const stored = withFieldIds(next, old);
  if (!old) return migrationPlan(next.name, [createTableStep(stored)]);
  if (sameDefinition(old, stored)) return migrationPlan(next.name, []);
  const ctx = planContext(old, stored);
  const indexes = indexChanges(ctx);
  const search = searchRebuild(ctx);
  const { kept, added, dropped } = ctx.matching;
  const steps: MigrationStep[] = [
    ...indexes.drops,
    ...search.drop,
    ...dropped.map((f) => dropFieldStep(ctx, f)),
    ...renameSteps(ctx, indexes.renames),
    ...kept.flatMap((p) => changeTypeSteps(ctx, p)),
    ...added.map((f) => addFieldStep(ctx, f)),
    ...kept.flatMap((p) => ruleSteps(ctx, p)),
    ...indexes.adds,
    ...search.add,
  ];
  const metadata = metadataStep(ctx);
  if (metadata.length || steps.length) return migrationPlan(next.name, [...steps, ...metadata]);
  return migrationPlan(next.name, [step("change_metadata", "Update the definition; the table is unchanged")]);
}

function createTableStep(entity: EntityDefinition): MigrationStep {
  const names = entity.fields.map((f) => f.name).join(", ");
  return step("create_table", `Create table data.${entity.name} with fields ${names}`, createTableSql(entity));
}
