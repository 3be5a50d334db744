import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { loadAccess } from "../security/load-access";
import type { Principal } from "../security/principal";
import { assertRecordAccess } from "../security/record-access";
import { taskActorOf } from "./task-actions";

interface InstanceRow {
  id: string;
  started_by: string;
  entity: string | null;
  record_id: string | null;
}

/** Whether the principal may read the record an instance was started for (false when there is none). */
export async function mayReadLinkedRecord(
  ctx: EngineContext,
  principal: Principal,
  entityName: string | null,
  recordId: string | null,
): Promise<boolean> {
  const entity = entityName ? ctx.registry.get(entityName) : undefined;
  if (!entity || !recordId) return false;
  try {
    await assertRecordAccess(ctx.db.knex, await loadAccess(ctx, principal), entity, recordId, "read", {
      includeDeleted: true,
    });
    return true;
  } catch {
    return false;
  }
}

/** Restricts an instance query to the ones the principal has (or had) a task in: assignee, completer or candidate. */
export async function whereHasTask(knex: Knex, principal: Principal) {
  const { roles } = await taskActorOf(knex, principal);
  return (q: Knex.QueryBuilder) =>
    q
      .select("instance_id")
      .from("kehu.wf_tasks")
      .where((w) =>
        w
          .where({ assignee: principal.login })
          .orWhere({ completed_by: principal.login })
          .orWhereRaw("? = ANY(candidate_users)", [principal.login])
          .orWhereRaw("candidate_groups && ?::text[]", [roles]),
      );
}

/**
 * Who may read an instance: admins, its starter, a user with a task in it, and a user who may read the record it was
 * started for (an approver opening the instance from the record page).
 */
export async function mayReadInstance(ctx: EngineContext, principal: Principal | undefined, row: InstanceRow) {
  if (!principal) return false;
  if (principal.isAdmin || row.started_by === principal.login) return true;
  const withTask = await ctx.db
    .knex("kehu.wf_instances")
    .where({ id: row.id })
    .whereIn("id", await whereHasTask(ctx.db.knex, principal))
    .first("id");
  if (withTask) return true;
  return mayReadLinkedRecord(ctx, principal, row.entity, row.record_id);
}
