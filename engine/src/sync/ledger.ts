import type { Knex } from "knex";
import { pgArrayLiteral, pgText } from "../records/pg-text";

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

/** A page's entries in one statement, its columns as text[] literals (cheaper than a bind parameter per value). */
export async function writeLedger(
  trx: Knex,
  run: { runId: string; connection: string; stream: string; mapping: string; entity: string },
  entries: LedgerEntry[],
): Promise<void> {
  if (!entries.length) return;
  const column = (f: (e: LedgerEntry) => unknown) => pgArrayLiteral(entries.map((e) => pgText(f(e))));
  await trx.raw(
    `INSERT INTO kehu.sync_ledger (run_id, connection, stream, mapping, entity, direction, record_id, external_key,
                                   source_version, payload_hash, idempotency_key, outcome, message)
     SELECT ?::uuid, ?, ?, ?, ?, u.d, u.r::uuid, u.k, u.v, u.h, u.i, u.o, u.m
       FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
            AS u(d, r, k, v, h, i, o, m)`,
    [
      run.runId,
      run.connection,
      run.stream,
      run.mapping,
      run.entity,
      column((e) => e.direction),
      column((e) => e.recordId),
      column((e) => e.externalKey),
      column((e) => e.sourceVersion),
      column((e) => e.payloadHash),
      column((e) => e.idempotencyKey),
      column((e) => e.outcome),
      column((e) => e.message),
    ],
  );
}
