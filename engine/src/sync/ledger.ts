import type { Knex } from "knex";

export type LedgerOutcome = "created" | "updated" | "unchanged" | "failed" | "conflict" | "skipped";

/** One record's passage in one direction: what was synced, in which version, with which result. */
export interface LedgerEntry {
  direction: "pull" | "push";
  recordId: string | null;
  externalKey: string | null;
  sourceVersion: string | null;
  payloadHash: string | null;
  idempotencyKey: string | null;
  outcome: LedgerOutcome;
  message: string | null;
}

export async function writeLedger(
  trx: Knex,
  run: { runId: string; connection: string; stream: string; mapping: string; entity: string },
  entries: LedgerEntry[],
): Promise<void> {
  if (!entries.length) return;
  await trx("kehu.sync_ledger").insert(
    entries.map((e) => ({
      run_id: run.runId,
      connection: run.connection,
      stream: run.stream,
      mapping: run.mapping,
      entity: run.entity,
      direction: e.direction,
      record_id: e.recordId,
      external_key: e.externalKey,
      source_version: e.sourceVersion,
      payload_hash: e.payloadHash,
      idempotency_key: e.idempotencyKey,
      outcome: e.outcome,
      message: e.message,
    })),
  );
}
