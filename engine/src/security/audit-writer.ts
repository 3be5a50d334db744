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
export const TRACKED_SYSTEM = ["owner_id", "department_id", "deleted_at"];

/**
 * Appends audit rows inside the caller's transaction, so a change and its audit row commit together or not at all.
 * One statement for any number of rows: each column travels as one array parameter (as bulk upsert writes records);
 * the changes as text[] cast per element, which the server parses at half the cost of a jsonb[] literal.
 * The table is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 *
 * @example
 * await writeAudit(trx, {principal, entity: "customer", recordId: id, action: "update", changes: {tier: {old: "gold", new: "general"}}});
 */
export async function writeAudit(trx: Knex, entries: AuditEntry | AuditEntry[]): Promise<void> {
  await writeAuditBatch(trx, Array.isArray(entries) ? entries : [entries]);
}

/**
 * Appends a batch of audit rows (any number, any mix of records and actors) with one statement, in the caller's
 * transaction. For new records written by an INSERT, `createdAuditSql` audits them inside that INSERT instead.
 */
export async function writeAuditBatch(trx: Knex, list: readonly AuditEntry[]): Promise<void> {
  if (!list.length) return;
  const column = <T>(pick: (e: AuditEntry) => T) => list.map(pick);
  await trx.raw(
    `INSERT INTO kehu.audit_log (actor_id, actor_login, channel, entity, record_id, action, changes)
     SELECT a, l, c, e, r, x, ch::jsonb FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[])
       AS u(a, l, c, e, r, x, ch)`,
    [
      column((e) => (e.principal.userId === SYSTEM_PRINCIPAL.userId ? null : e.principal.userId)),
      column((e) => e.principal.login),
      column((e) => e.principal.channel),
      column((e) => e.entity),
      column((e) => e.recordId),
      column((e) => e.action),
      column((e) => (e.changes === null ? null : JSON.stringify(e.changes))),
    ] as unknown as Knex.RawBinding[],
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
    if (old === now) continue;
    // Scalars that are not identical differ; only objects (money, json, arrays, dates) compare by their JSON.
    const scalars = (typeof old !== "object" || old === null) && (typeof now !== "object" || now === null);
    if (scalars || JSON.stringify(old) !== JSON.stringify(now)) changes[name] = { old, new: now };
  }
  return changes;
}
