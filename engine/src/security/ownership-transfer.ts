import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { compileFilter } from "../storage/filter-compiler";
import { entityTableRef } from "../storage/identifiers";
import { writeAudit } from "./audit-writer";
import type { Principal } from "./principal";

export interface OwnershipTransfer {
  /** Records owned by this user; with `filter`, both must match; at least one of them is needed. */
  from?: string;
  filter?: unknown;
  toUser: string;
  /** The new department; the new owner's department when left out. */
  toDepartment?: string | null;
}

/**
 * Reassigns records (live and soft-deleted) to another owner and department in one transaction, with one audit row
 * per record (`ownership`, old and new owner and department). Audit history stays attached to the records.
 *
 * @example
 * await transferOwnership(knex, customer, {from: leaverId, toUser: successorId}, principal) // {transferred: 12}
 */
export async function transferOwnership(
  knex: Knex,
  entity: EntityDefinition,
  transfer: OwnershipTransfer,
  principal: Principal,
): Promise<{ transferred: number }> {
  if (transfer.from === undefined && transfer.filter === undefined)
    throw new AppError("validation_failed", "Say whose records to transfer: from (a user id), filter, or both", [
      { path: "/from", message: "from or filter is needed" },
    ]);
  const filter = compileFilter(entity, transfer.filter);
  return knex.transaction(async (trx) => {
    const target = await trx("kehu.users").where({ id: transfer.toUser }).first("id", "department_id", "active");
    if (!target)
      throw new AppError("validation_failed", "toUser is not a user", [{ path: "/toUser", message: "no such user" }]);
    const department = transfer.toDepartment === undefined ? target.department_id : transfer.toDepartment;
    if (department !== null && !(await trx("kehu.departments").where({ id: department }).first("id")))
      throw new AppError("validation_failed", "toDepartment is not a department", [
        { path: "/toDepartment", message: "no such department" },
      ]);
    const selected = trx(entityTableRef(entity.name)).forUpdate().select("id", "owner_id", "department_id");
    if (transfer.from !== undefined) selected.where("owner_id", transfer.from);
    if (filter.sql !== "TRUE") selected.whereRaw(filter.sql, filter.bindings);
    const rows: Array<{ id: string; owner_id: string | null; department_id: string | null }> = await selected;
    if (!rows.length) return { transferred: 0 };
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 5000)
      await trx(entityTableRef(entity.name))
        .whereIn("id", ids.slice(i, i + 5000))
        .update({
          owner_id: target.id,
          department_id: department,
          version: trx.raw("version + 1"),
          updated_at: trx.fn.now(),
        });
    await writeAudit(
      trx,
      rows.map((r) => ({
        principal,
        entity: entity.name,
        recordId: r.id,
        action: "ownership" as const,
        changes: {
          owner_id: { old: r.owner_id, new: target.id },
          department_id: { old: r.department_id, new: department },
        },
      })),
    );
    return { transferred: rows.length };
  });
}
