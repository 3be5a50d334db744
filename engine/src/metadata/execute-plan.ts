import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { columnsOf } from "../storage/columns";
import { archiveFieldValues, archiveTableRows } from "./archive-values";
import type { MigrationPlan } from "./migration-plan";
import { runSql } from "./run-sql";

export type RevisionAction = "create" | "update" | "delete" | "revert";

/** How a revision is recorded when it is not a plain change: a revert names the revision it undoes. */
export interface RevisionMeta {
  action?: RevisionAction;
  reverts?: number;
}

/** One entity's change as it is written: the plan, the definitions around it, and who makes it. */
export interface PlannedChange {
  plan: MigrationPlan;
  before: EntityDefinition | undefined;
  after: EntityDefinition | undefined;
}

/**
 * Runs a plan inside the caller's transaction and records it: a `kehu.revisions` row first (its id tags the
 * archived values), then each step, archiving a dropped field's values or a dropped table's rows before the
 * drop, then the stored definition. Returns the revision id.
 */
export async function executePlan(
  trx: Knex.Transaction,
  change: PlannedChange,
  actor: string,
  meta: RevisionMeta = {},
): Promise<number> {
  const { plan, before, after } = change;
  const action: RevisionAction = meta.action ?? (!before ? "create" : after ? "update" : "delete");
  const [{ id }] = await trx("kehu.revisions")
    .insert({
      entity: plan.entity,
      actor,
      action,
      before: before ? JSON.stringify(before) : null,
      after: after ? JSON.stringify(after) : null,
      plan: JSON.stringify(plan),
      ...(meta.reverts !== undefined ? { reverts: meta.reverts } : {}),
    })
    .returning("id");
  for (const step of plan.steps) {
    if (step.kind === "drop_field") {
      const field = before?.fields.find((f) => f.name === step.field);
      if (field && columnsOf(field).length) await archiveFieldValues(trx, id, plan.entity, field);
    }
    if (step.kind === "drop_table") await archiveTableRows(trx, id, plan.entity);
    for (const sql of step.sql) await runSql(trx, sql);
  }
  await storeDefinition(trx, plan.entity, after);
  return id;
}

async function storeDefinition(trx: Knex.Transaction, entity: string, definition: EntityDefinition | undefined) {
  if (!definition) {
    await trx("kehu.entities").where({ name: entity }).delete();
    return;
  }
  // The entity's revision number counts every change ever made to it, across a delete and re-create.
  const [{ count }] = await trx("kehu.revisions").where({ entity }).count<Array<{ count: number }>>({ count: "*" });
  await trx("kehu.entities")
    .insert({ name: entity, definition: JSON.stringify(definition), revision: Number(count), updated_at: trx.fn.now() })
    .onConflict("name")
    .merge();
}
