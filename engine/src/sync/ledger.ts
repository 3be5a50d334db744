import type { SyncLedgerOutcome } from "@kehu/schema";
import type { Knex } from "knex";
import type { PageWrite } from "./write-together";

export type LedgerOutcome = SyncLedgerOutcome;

type LedgerSide = { runId: string; connection: string; stream: string; mapping: string; entity: string };

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

/** A page's entries in one statement (see `ledgerWrite`). */
export async function writeLedger(trx: Knex, run: LedgerSide, entries: LedgerEntry[]): Promise<void> {
  const write = ledgerWrite(run, entries);
  if (write) await trx.raw(write.sql, write.bindings as Knex.RawBinding[]);
}

/** The statement adding a page's entries, its rows as one JSON document (cheaper than a bind parameter per value). */
export function ledgerWrite(run: LedgerSide, entries: LedgerEntry[]): PageWrite | undefined {
  if (!entries.length) return undefined;
  const rows = entries.map((e) => ({
    d: e.direction,
    r: e.recordId,
    k: e.externalKey,
    v: e.sourceVersion,
    h: e.payloadHash,
    i: e.idempotencyKey,
    o: e.outcome,
    m: e.message,
  }));
  return {
    sql: `INSERT INTO kehu.sync_ledger (run_id, connection, stream, mapping, entity, direction, record_id, external_key,
                                   source_version, payload_hash, idempotency_key, outcome, message)
     SELECT ?::uuid, ?, ?, ?, ?, u.d, u.r, u.k, u.v, u.h, u.i, u.o, u.m
       FROM jsonb_to_recordset(?::jsonb) AS u(d text, r uuid, k text, v text, h text, i text, o text, m text)`,
    bindings: [run.runId, run.connection, run.stream, run.mapping, run.entity, JSON.stringify(rows)],
  };
}
