import type { ConnectorSession, WriteRecord } from "@kehu/connector-kit";
import type { Knex } from "knex";
import { rowToRecord } from "../records/record-codec";
import { entityTable } from "../storage/identifiers";
import type { RetryPolicy } from "./backoff";
import {
  closeSyncedDeadLetters,
  type DeadLetterInput,
  deadLettersReplace,
  insertDeadLetters,
  numberedDeadLetters,
} from "./dead-letter-store";
import { ErpUnreachable } from "./erp-unreachable";
import { idempotencyKeyOf } from "./idempotency-key";
import { type LedgerEntry, writeLedger } from "./ledger";
import { type Link, saveLinks } from "./link-store";
import { LookupTable } from "./lookup-table";
import { mapOutbound } from "./map-outbound";
import { linkSide, type MappingRun, runSide } from "./mapping-run";
import { payloadHash } from "./payload-hash";
import { writeWithRetry } from "./push-write";
import { emptyCounts, type RunCounts } from "./run-counts";
import { addRunCounts } from "./run-store";
import { sameValue } from "./same-value";
import { evaluate } from "./sync-expression";
import { writeTogether } from "./write-together";

type Candidate = { record: Record<string, unknown>; link: Link | undefined };
export type PushCursor = { updatedAt: string; id: string };

/**
 * CRM records of the mapping's entity that the ERP does not have yet: never linked, or changed since their last
 * sync, without an open conflict or an open dead letter of the same version. Keyset-paged by (updated_at, id).
 */
export async function pushCandidates(
  run: MappingRun,
  after: PushCursor | undefined,
  limit: number,
): Promise<Candidate[]> {
  const knex = run.services.knex;
  const scope = run.access.predicate(run.entity, "read", "e");
  const where: string[] = [];
  const bindings: unknown[] = [run.connection, run.mapping.stream, run.entity.name, run.mapping.name, run.mapping.name];
  if (after) {
    where.push("AND (e.updated_at, e.id) > (?::timestamptz, ?::uuid)");
    bindings.push(after.updatedAt, after.id);
  }
  if (scope) {
    where.push(`AND ${scope.sql}`);
    bindings.push(...scope.bindings);
  }
  bindings.push(limit);
  const { rows } = await knex.raw(
    `SELECT e.*, l.external_key AS __key, l.last_payload AS __payload, l.last_hash AS __hash, l.crm_version AS __version
       FROM ${entityTable(run.entity.name)} e
       LEFT JOIN kehu.sync_links l ON l.connection = ? AND l.stream = ? AND l.entity = ? AND l.record_id = e.id
      WHERE e.deleted_at IS NULL AND (l.id IS NULL OR e.version > l.crm_version)
        AND NOT EXISTS (SELECT 1 FROM kehu.sync_conflicts c WHERE c.mapping = ? AND c.record_id = e.id AND c.status = 'open')
        AND NOT EXISTS (SELECT 1 FROM kehu.sync_dead_letters d WHERE d.mapping = ? AND d.direction = 'push'
                          AND d.status = 'open' AND d.record_id = e.id AND d.payload->>'version' = e.version::text)
        ${where.join(" ")}
      ORDER BY e.updated_at, e.id LIMIT ?`,
    bindings as Knex.RawBinding[],
  );
  return (rows as Array<Record<string, unknown>>).map((row) => ({
    record: rowToRecord(run.entity, row),
    link: row.__key
      ? {
          record_id: row.id as string,
          external_key: row.__key as string,
          last_payload: row.__payload as Record<string, unknown>,
          last_hash: row.__hash as string,
          source: null,
          crm_version: row.__version as number,
        }
      : undefined,
  }));
}

/**
 * Pushes one page of candidates: maps them out, writes them with retries, then links, ledger and dead letters in one
 * transaction. A record the ERP refused gets a dead letter; one it could not be reached for gets none and stays due,
 * and the page then throws ErpUnreachable (after committing what the ERP did take or refuse), which fails the run.
 */
export async function pushPage(
  run: MappingRun,
  session: ConnectorSession,
  candidates: Candidate[],
  page: number,
  retry: RetryPolicy,
  signal?: AbortSignal,
  force = false,
): Promise<RunCounts> {
  const { mapping, entity } = run;
  const counts = emptyCounts();
  const ledger: LedgerEntry[] = [];
  const dead: DeadLetterInput[] = [];
  const links: Link[] = [];
  const names = Object.keys(mapping.fields);
  const def = (n: string) => entity.fields.find((f) => f.name === n);
  const lookups = await LookupTable.byId(
    run.services.knex,
    mapping,
    candidates.map((c) => c.record),
  );
  const writes: Array<{ c: Candidate; w: WriteRecord; values: Record<string, unknown> }> = [];
  // Records the filter now leaves out: their open dead letters are closed, no retry will ever take them.
  const skipped: string[] = [];
  const entry = (c: Candidate, e: Partial<LedgerEntry> & Pick<LedgerEntry, "outcome">): LedgerEntry => ({
    direction: "push",
    recordId: c.record.id as string,
    externalKey: c.link?.external_key ?? null,
    sourceVersion: String(c.record.version),
    payloadHash: null,
    idempotencyKey: null,
    message: null,
    ...e,
  });
  for (const c of candidates) {
    counts.read++;
    const values = Object.fromEntries(names.map((n) => [n, c.record[n] ?? null]));
    const version = c.record.version as number;
    if (mapping.filter && !evaluate(mapping.filter, c.record)) {
      ledger.push(entry(c, { outcome: "skipped", message: "left out by the mapping's filter" }));
      counts.skipped++;
      skipped.push(c.record.id as string);
      continue;
    }
    if (!force && c.link && names.every((n) => sameValue(def(n), values[n], c.link!.last_payload[n]))) {
      counts.unchanged++;
      links.push({ ...c.link, crm_version: version });
      ledger.push(entry(c, { outcome: "unchanged" }));
      continue;
    }
    const out = mapOutbound(mapping, c.record, lookups);
    if (!out.ok) {
      const reason = out.issues.map((i) => `${i.path.slice(1)}: ${i.message}`).join("; ");
      counts.failed++;
      ledger.push(entry(c, { outcome: "failed", message: reason }));
      dead.push({
        direction: "push",
        externalKey: c.link?.external_key ?? null,
        recordId: c.record.id as string,
        payload: { version, record: c.record },
        reason,
        issues: out.issues,
      });
      continue;
    }
    const w = {
      idempotencyKey: idempotencyKeyOf(entity.name, c.record.id as string, version),
      externalKey: c.link?.external_key,
      record: out.record,
    };
    writes.push({ c, w, values });
  }
  const { results, unreachable } = writes.length
    ? await writeWithRetry(
        run.services,
        session,
        mapping.stream,
        writes.map((x) => x.w),
        retry,
        signal,
      )
    : { results: [], unreachable: undefined };
  const synced: string[] = [];
  let unsettled = 0;
  writes.forEach(({ c, w, values }, i) => {
    const r = results[i];
    if (!r) {
      unsettled++;
      return;
    }
    const base = { idempotencyKey: w.idempotencyKey, payloadHash: payloadHash(w.record) };
    if (r.ok) {
      if (r.created) counts.created++;
      else counts.updated++;
      links.push({
        record_id: c.record.id as string,
        external_key: r.externalKey,
        last_hash: payloadHash(values),
        last_payload: values,
        source: r.record ?? w.record,
        crm_version: c.record.version as number,
      });
      ledger.push(entry(c, { ...base, externalKey: r.externalKey, outcome: r.created ? "created" : "updated" }));
      synced.push(c.record.id as string);
    } else {
      counts.failed++;
      ledger.push(entry(c, { ...base, outcome: "failed", message: r.message }));
      dead.push({
        direction: "push",
        externalKey: w.externalKey ?? null,
        recordId: c.record.id as string,
        payload: { version: c.record.version, idempotencyKey: w.idempotencyKey, record: w.record },
        reason: r.message,
      });
    }
  });
  await run.services.knex.transaction(async (trx) => {
    const side = runSide(run);
    await saveLinks(trx, linkSide(run), links);
    await writeLedger(trx, side, ledger);
    await closeSyncedDeadLetters(trx, mapping.name, "push", "record_id", synced);
    await closeSyncedDeadLetters(trx, mapping.name, "push", "record_id", skipped, "discarded");
    // A record failing again replaces its open dead letter (of an older version): one open letter per record.
    const numbered = await numberedDeadLetters(trx, dead, "record_id");
    await insertDeadLetters(trx, side, numbered.letters);
    if (numbered.successors.length)
      await writeTogether(trx, [deadLettersReplace(mapping.name, "push", "record_id", numbered.successors)]);
    await addRunCounts(trx, run.runId, counts, { stream: mapping.stream, direction: "push", page });
  });
  if (unreachable !== undefined) throw new ErpUnreachable(unreachable, mapping.stream, unsettled);
  return counts;
}
