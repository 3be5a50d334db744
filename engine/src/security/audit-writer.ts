import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { type Principal, SYSTEM_PRINCIPAL } from "./principal";

export type AuditAction = "create" | "update" | "delete" | "restore" | "ownership";

/** Per changed field, its value before and after (null for none). */
export type AuditChanges = Record<string, { old: unknown; new: unknown }>;

export interface AuditEntry {
  principal: Principal;
  entity: string;
  recordId: string;
  action: AuditAction;
  changes: AuditChanges | null;
}

/** System columns a change is recorded for besides the fields. */
const TRACKED_SYSTEM = ["owner_id", "department_id", "deleted_at"];

/** Rows per INSERT: 7 bindings each stays far below PostgreSQL's 65,535 bindings per statement. */
const CHUNK = 2000;

/**
 * Appends audit rows inside the caller's transaction, so a change and its audit row commit together or not at all.
 * The table is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 *
 * @example
 * await writeAudit(trx, {principal, entity: "customer", recordId: id, action: "update", changes: {tier: {old: "gold", new: "general"}}});
 */
export async function writeAudit(trx: Knex, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  for (let i = 0; i < list.length; i += CHUNK)
    await trx("kehu.audit_log").insert(
      list.slice(i, i + CHUNK).map((e) => ({
        actor_id: e.principal.userId === SYSTEM_PRINCIPAL.userId ? null : e.principal.userId,
        actor_login: e.principal.login,
        channel: e.principal.channel,
        entity: e.entity,
        record_id: e.recordId,
        action: e.action,
        changes: e.changes === null ? null : JSON.stringify(e.changes),
      })),
    );
}

/**
 * The fields (and owner, department, deletion) whose values differ between two versions of a record, with both
 * values; `before` null means a new record (every set field is a change from null).
 */
export function recordChanges(
  entity: EntityDefinition,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): AuditChanges {
  const changes: AuditChanges = {};
  for (const name of [...entity.fields.map((f) => f.name), ...TRACKED_SYSTEM]) {
    if (!(name in after)) continue;
    const old = before?.[name] ?? null;
    const now = after[name] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[name] = { old, new: now };
  }
  return changes;
}
