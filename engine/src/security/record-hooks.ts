import type { EntityDefinition } from "@kehu/schema";
import type { BulkSecurity } from "../records/bulk-upsert";
import type { ExpandAccess } from "../records/expand-references";
import type { RecordHooks } from "../records/record-store";
import { entityTable } from "../storage/identifiers";
import type { Access } from "./access";
import { recordChanges, writeAudit } from "./audit-writer";

/** Whether writes of an entity leave audit rows: on unless its metadata says `audit: false`. */
export function isAudited(entity: EntityDefinition): boolean {
  return entity.audit !== false;
}

/** A RecordStore's hooks for one principal: record scopes, owner stamping and the audit trail. */
export function recordHooksOf(access: Access, entity: EntityDefinition): RecordHooks {
  return {
    scope: access.isAdmin ? undefined : (action) => access.where(entity, action),
    stamp: access.stamp(),
    audit: isAudited(entity)
      ? async (trx, { action, id, before, after, entity: changed = entity }) => {
          if (!isAudited(changed)) return;
          await writeAudit(trx, {
            principal: access.principal,
            entity: changed.name,
            recordId: id,
            action,
            changes: recordChanges(changed, before, after),
          });
        }
      : undefined,
  };
}

/** The bulk upsert's hooks for one principal. */
export function bulkSecurityOf(access: Access, entity: EntityDefinition): BulkSecurity {
  return {
    stamp: access.stamp(),
    updateScope: access.scopeOf(entity.name, "update")
      ? access.predicate(entity, "update", entityTable(entity.name))
      : { sql: "FALSE", bindings: [] },
    audit: isAudited(entity)
      ? (trx, changes) =>
          writeAudit(
            trx,
            changes.map(({ id, before, after }) => ({
              principal: access.principal,
              entity: entity.name,
              recordId: id,
              action: before ? "update" : "create",
              changes: recordChanges(entity, before, after),
            })),
          )
      : undefined,
  };
}

/** What a principal may see of referenced records when expanding. */
export function expandAccessOf(access: Access): ExpandAccess | undefined {
  if (access.isAdmin) return undefined;
  return {
    readScope: (target) => (access.scopeOf(target.name, "read") === undefined ? null : access.where(target, "read")),
    strip: (target, record) => access.strip(target.name, record),
  };
}
