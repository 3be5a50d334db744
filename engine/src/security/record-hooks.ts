import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { BulkSecurity } from "../records/bulk-upsert";
import type { ExpandAccess } from "../records/expand-references";
import type { RecordChange, RecordHooks } from "../records/record-store";
import { entityTable } from "../storage/identifiers";
import type { Access } from "./access";
import { recordChanges, writeAudit } from "./audit-writer";
import { createdAuditSql } from "./created-audit-sql";
import type { Principal } from "./principal";

/** Whether writes of an entity leave audit rows: on unless its metadata says `audit: false`. */
export function isAudited(entity: EntityDefinition): boolean {
  return entity.audit !== false;
}

/**
 * Told of every record created or updated through a RecordStore or a bulk write, inside the write's transaction: a
 * bulk write tells all its records at once.
 */
export interface RecordChangeListener {
  /** Asked before the write: false spares the write a transaction (single) or reading its records back (bulk). */
  wants(knex: Knex, entity: EntityDefinition, action: "create" | "update", principal: Principal): Promise<boolean>;
  changed(trx: Knex, entity: EntityDefinition, changes: RecordChange[], principal: Principal): Promise<void>;
}

// Keyed by the knex config, which a database's transactions share with it: one listener per open database.
const changeListeners = new WeakMap<object, RecordChangeListener>();

/** Registers the record-change listener (workflow triggers) of the database `knex` is connected to. */
export function listenToRecordChanges(knex: Knex, listener: RecordChangeListener): void {
  changeListeners.set(knex.client.config, listener);
}

/** A RecordStore's hooks for one principal: record scopes, owner stamping and the audit trail. */
export function recordHooksOf(access: Access, entity: EntityDefinition): RecordHooks {
  return {
    scope: access.isAdmin ? undefined : (action) => access.where(entity, action),
    stamp: access.stamp(),
    wantsChange: async (knex, action) =>
      (await changeListeners.get(knex.client.config)?.wants(knex, entity, action, access.principal)) ?? false,
    changed: async (trx, change) => {
      await changeListeners.get(trx.client.config)?.changed(trx, entity, [change], access.principal);
    },
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
    auditCreated: isAudited(entity) ? (source) => createdAuditSql(entity, access.principal, source) : undefined,
  };
}

/** The bulk upsert's hooks for one principal. */
export function bulkSecurityOf(access: Access, entity: EntityDefinition): BulkSecurity {
  return {
    wantsChange: async (knex, action) =>
      (await changeListeners.get(knex.client.config)?.wants(knex, entity, action, access.principal)) ?? false,
    changed: async (trx, changes) => {
      await changeListeners.get(trx.client.config)?.changed(trx, entity, changes, access.principal);
    },
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
    auditCreated: isAudited(entity) ? (source) => createdAuditSql(entity, access.principal, source) : undefined,
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
