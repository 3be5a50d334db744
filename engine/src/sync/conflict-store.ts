import { AppError } from "@kehu/core";
import type { Knex } from "knex";

/** One field both sides changed: what the CRM holds, what the ERP sent, what both agreed on at the last sync. */
export interface ConflictField {
  crm: unknown;
  erp: unknown;
  base: unknown;
}

export interface ConflictInput {
  runId: string | null;
  connection: string;
  stream: string;
  mapping: string;
  entity: string;
  recordId: string;
  externalKey: string;
  fields: Record<string, ConflictField>;
  erpPayload: Record<string, unknown>;
  source: Record<string, unknown> | null;
  policy: "erp_wins" | "crm_wins" | "newest_wins" | "manual";
  /** Settled by the policy (`erp`/`crm`), or open for a person to decide (`manual`). */
  chose: "erp" | "crm" | null;
}

/** Records a conflict; an open one for the same record is replaced by the newer ERP values. */
export async function recordConflict(trx: Knex, c: ConflictInput): Promise<void> {
  const row = {
    run_id: c.runId,
    connection: c.connection,
    stream: c.stream,
    entity: c.entity,
    external_key: c.externalKey,
    fields: JSON.stringify(c.fields),
    erp_payload: JSON.stringify(c.erpPayload),
    source: c.source === null ? null : JSON.stringify(c.source),
    policy: c.policy,
  };
  if (c.chose === null) {
    const n = await trx("kehu.sync_conflicts")
      .where({ mapping: c.mapping, record_id: c.recordId, status: "open" })
      .update({ ...row, created_at: trx.fn.now() });
    if (!n)
      await trx("kehu.sync_conflicts").insert({ ...row, mapping: c.mapping, record_id: c.recordId, status: "open" });
    return;
  }
  const chosen = Object.fromEntries(Object.entries(c.fields).map(([f, v]) => [f, v[c.chose!]]));
  await trx("kehu.sync_conflicts").insert({
    ...row,
    mapping: c.mapping,
    record_id: c.recordId,
    status: "resolved",
    resolution: `rule:${c.chose}`,
    chosen: JSON.stringify(chosen),
    resolved_by: "sync",
    resolved_at: trx.fn.now(),
  });
}

export const CONFLICT_STATUSES = ["open", "resolved"] as const;

export interface ConflictRow {
  id: number | string;
  run_id: string | null;
  connection: string;
  stream: string;
  mapping: string;
  entity: string;
  record_id: string;
  external_key: string;
  fields: Record<string, ConflictField>;
  erp_payload: Record<string, unknown>;
  source: Record<string, unknown> | null;
  policy: ConflictInput["policy"];
  status: (typeof CONFLICT_STATUSES)[number];
  resolution: string | null;
  chosen: Record<string, unknown> | null;
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

/** A conflict by id; `forUpdate` locks its row until the transaction ends (one decision per conflict). */
export async function getConflict(knex: Knex, id: string | number, forUpdate = false): Promise<ConflictRow> {
  const query = () => {
    const q = knex("kehu.sync_conflicts").where({ id });
    return forUpdate ? q.forUpdate().first() : q.first();
  };
  // Ids are bigints: a longer number names no conflict (and must not reach the database as an out-of-range value).
  const row = /^\d{1,15}$/.test(String(id)) ? await query() : undefined;
  if (!row) throw new AppError("not_found", `No sync conflict ${id}`);
  return row;
}

export async function listConflicts(
  knex: Knex,
  filter: { connection?: string; mapping?: string; status?: string; limit?: number },
): Promise<ConflictRow[]> {
  const q = knex("kehu.sync_conflicts").orderBy("id", "desc");
  if (filter.connection) q.where({ connection: filter.connection });
  if (filter.mapping) q.where({ mapping: filter.mapping });
  if (filter.status) q.where({ status: filter.status });
  return q.limit(Math.min(filter.limit ?? 100, 1000));
}
