import type { SyncLedgerView } from "@kehu/schema";
import type { Knex } from "knex";
import type { LedgerOutcome } from "./ledger";

/** A ledger row as the API shows it. */
export type LedgerView = SyncLedgerView;

/** Which passages to read: of a run, of one record (by CRM id or by external key), narrowed by the other fields. */
export interface LedgerFilter {
  runId?: string;
  connection?: string;
  stream?: string;
  mapping?: string;
  entity?: string;
  recordId?: string;
  externalKey?: string;
  direction?: "pull" | "push";
  outcome?: LedgerOutcome;
  /** The `nextCursor` of the page before: rows older than it. */
  before?: string;
  limit: number;
}

/** Ledger rows newest first, a page of `limit` and the cursor of the next page (null on the last). */
export async function listLedger(
  knex: Knex,
  filter: LedgerFilter,
): Promise<{ data: LedgerView[]; nextCursor: string | null }> {
  const q = knex("kehu.sync_ledger")
    .orderBy("id", "desc")
    .limit(filter.limit + 1);
  const columns = {
    run_id: filter.runId,
    connection: filter.connection,
    stream: filter.stream,
    mapping: filter.mapping,
    entity: filter.entity,
    record_id: filter.recordId,
    external_key: filter.externalKey,
    direction: filter.direction,
    outcome: filter.outcome,
  };
  for (const [column, value] of Object.entries(columns)) if (value !== undefined) q.where(column, value);
  if (filter.before !== undefined) q.where("id", "<", filter.before);
  const rows = await q;
  const more = rows.length > filter.limit;
  if (more) rows.length = filter.limit;
  const data = rows.map(ledgerView);
  return { data, nextCursor: more ? data[data.length - 1].id : null };
}

function ledgerView(row: Record<string, unknown>): LedgerView {
  return {
    id: String(row.id),
    runId: row.run_id as string,
    direction: row.direction as LedgerView["direction"],
    connection: row.connection as string,
    stream: row.stream as string,
    mapping: row.mapping as string,
    entity: row.entity as string,
    recordId: (row.record_id as string | null) ?? null,
    externalKey: (row.external_key as string | null) ?? null,
    sourceVersion: (row.source_version as string | null) ?? null,
    payloadHash: (row.payload_hash as string | null) ?? null,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    outcome: row.outcome as LedgerOutcome,
    message: (row.message as string | null) ?? null,
    at: new Date(row.at as string).toISOString(),
  };
}
