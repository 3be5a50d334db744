import { AppError, isUuid } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTable } from "../storage/identifiers";
import type { Access } from "./access";
import type { PermissionAction } from "./permission-model";

/**
 * Checks that a principal may take an action on one record: 403 when the action is not granted on the entity at all,
 * 404 when the record is outside the read scope (the caller may not know it exists), 403 when it is readable but
 * outside the action's scope. Admins pass without a query.
 */
export async function assertRecordAccess(
  knex: Knex,
  access: Access,
  entity: EntityDefinition,
  id: string,
  action: Exclude<PermissionAction, "create">,
  opts: { includeDeleted?: boolean } = {},
): Promise<void> {
  access.require(entity.name, action);
  if (access.isAdmin) return;
  const read = access.predicate(entity, "read") ?? { sql: "TRUE", bindings: [] };
  const act = access.predicate(entity, action) ?? { sql: "TRUE", bindings: [] };
  const notFound = new AppError("not_found", `No ${entity.name} record with id ${id}`);
  if (!isUuid(id)) throw notFound;
  const live = opts.includeDeleted ? "" : " AND deleted_at IS NULL";
  const { rows } = await knex.raw(
    `SELECT ${act.sql} AS allowed FROM ${entityTable(entity.name)} WHERE id = ?${live} AND ${read.sql}`,
    [...act.bindings, id, ...read.bindings],
  );
  if (!rows.length) throw notFound;
  if (rows[0].allowed !== true) throw new AppError("forbidden", `You may not ${action} this ${entity.name} record`);
}
