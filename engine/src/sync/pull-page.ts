import type { ExternalRecord, StreamState } from "@kehu/connector-kit";
import type { Knex } from "knex";
import type { PatchById } from "../records/bulk-patch";
import { rowToRecord } from "../records/record-codec";
import { entityTable, entityTableRef, quoteIdent } from "../storage/identifiers";
import { recordConflict } from "./conflict-store";
import { BulkWriteFailed, createBatch } from "./create-batch";
import {
  type DeadLetterInput,
  deadLettersInsert,
  deadLettersReplace,
  numberedDeadLetters,
  syncedDeadLettersClose,
} from "./dead-letter-store";
import { readPath } from "./field-source";
import { idempotencyKeyOf, recordIdOfKey } from "./idempotency-key";
import type { LedgerEntry } from "./ledger";
import { ledgerWrite } from "./ledger";
import { type Link, linksByRecord, saveLinksWrite } from "./link-store";
import { LookupTable } from "./lookup-table";
import { linkSide, type MappingRun, runSide } from "./mapping-run";
import { pageLinks } from "./page-links";
import { type PageTurn, PredecessorRolledBack } from "./page-overlap";
import { decidePull } from "./pull-decision";
import { type PreparedRecord, prepareRecord } from "./pull-prepare";
import { emptyCounts, type RunCounts } from "./run-counts";
import { runCountsAdd } from "./run-store";
import { streamStateSave } from "./stream-state";
import { updateBatch } from "./update-batch";
import { writeOf, writeTogether } from "./write-together";

/** What a page produced, written at its end in the same transaction. */
class PageOutput {
  readonly counts = emptyCounts();
  readonly ledger: LedgerEntry[] = [];
  readonly dead: DeadLetterInput[] = [];
  readonly links = new Map<string, Link>();
  readonly synced: string[] = [];
  /** Keys of records skipped (the mapping's filter leaves them out): their open dead letters are closed. */
  readonly skipped: string[] = [];
  /** New records of the page, created together by `flushCreates`. */
  readonly pending: Array<{ p: PreparedRecord; key: string; body: Record<string, unknown>; hash: string }> = [];
  /** Changed records of the page, patched together by `flushUpdates`; `done` finishes each written one. */
  readonly updates: Array<PatchById & { p: PreparedRecord; done: (version: number) => void }> = [];
  readonly pendingKeys = new Set<string>();
  /** Records created by this page: `current` holds their bodies as sent, not as stored. */
  readonly created = new Set<string>();

  entry(p: PreparedRecord, outcome: LedgerEntry["outcome"], recordId: string | null, message: string | null = null) {
    if (outcome === "skipped") {
      this.counts.skipped++;
      if (p.key) this.skipped.push(p.key);
    }
    const hash = p.result.kind === "mapped" ? p.result.hash : null;
    this.ledger.push({
      direction: "pull",
      recordId,
      externalKey: p.key ?? null,
      sourceVersion: p.version,
      payloadHash: hash,
      idempotencyKey: null,
      outcome,
      message,
    });
  }

  fail(p: PreparedRecord, recordId: string | null, reason: string, issues: DeadLetterInput["issues"] = []) {
    this.counts.failed++;
    this.entry(p, "failed", recordId, reason);
    this.dead.push({ direction: "pull", externalKey: p.key ?? null, recordId, payload: p.source, reason, issues });
  }
}

/** A page's part in the commit order of overlapping pages (see page-overlap.ts). */
export interface PageOrder {
  /** This page's turn: its first transaction takes the turn's lock. */
  turn: PageTurn;
  /** The turn of the page before, still committing: this page writes its links, ledger and checkpoint after it. */
  after?: PageTurn;
  /** The whole commit of the page before (retries included), awaited outside any transaction. */
  before?: Promise<unknown>;
}

/**
 * Maps, decides and writes one page of a stream in ONE transaction with its links, ledger rows, dead letters, run
 * counts and the stream's new checkpoint: a process killed between pages resumes exactly after the last one, and
 * records read again are found by link and hash and count as unchanged.
 *
 * With `order.after` the page before is still committing (their keys are disjoint, see page-overlap.ts): this page
 * decides and writes its records meanwhile, then waits for that page's turn inside PostgreSQL before writing its
 * links, ledger, counts and checkpoint, and throws PredecessorRolledBack (rolling back) if that page did not commit.
 */
export async function commitPullPage(
  run: MappingRun,
  records: ExternalRecord[],
  state: StreamState | undefined,
  page: number,
  preparedAhead?: Promise<PreparedRecord[]>,
  order?: PageOrder,
): Promise<RunCounts> {
  // Awaited before the transaction opens: on a one-connection database (PGlite) its lookups need that connection.
  const early = await preparedAhead;
  try {
    return await writePage(run, records, state, page, "bulk", early, order);
  } catch (e) {
    if (!(e instanceof BulkWriteFailed)) throw e;
    // The records are written one by one on the data as the page before left it.
    await order?.before;
    return writePage(run, records, state, page, "alone", early);
  }
}

async function writePage(
  run: MappingRun,
  records: ExternalRecord[],
  state: StreamState | undefined,
  page: number,
  mode: "bulk" | "alone",
  early: PreparedRecord[] | undefined,
  order?: PageOrder,
): Promise<RunCounts> {
  const turn = mode === "bulk" ? order?.turn : undefined;
  const after = mode === "bulk" ? order?.after : undefined;
  const written = run.services.knex.transaction(async (trx) => {
    // Every lookup of the page probes its index, for the reason linksByKey gives.
    if (turn) {
      await trx.raw("SELECT set_config('enable_seqscan', 'off', true), pg_advisory_xact_lock(hashtext(?), ?)", [
        turn.key,
        turn.page,
      ]);
      turn.markLocked();
    } else await trx.raw("SET LOCAL enable_seqscan = off");
    const all = early ?? (await prepareInside(trx, run, records));
    const { links, unchanged, prepared } = await settleUnchanged(trx, run, all);
    const matched = await matchByEntityKey(trx, run, prepared, links);
    await matchPushedRecords(trx, run, prepared, links, matched);
    await matchCreatedKeys(trx, run, prepared, links, matched);
    const linked = prepared.flatMap((p) => (p.key && links.has(p.key) ? [links.get(p.key)!.record_id] : []));
    const current = await currentRecords(trx, run, [...new Set([...linked, ...matched.values()])]);
    const out = new PageOutput();
    out.counts.read = records.length;
    out.counts.unchanged = unchanged;
    const writes: PageWrites = { trx, run, out, current, mode };
    for (const p of prepared) {
      // A key repeated in the page is decided after its first occurrence is written.
      if (p.key && out.pendingKeys.has(p.key)) await flushWrites(writes);
      await applyRecord(trx, run, p, links, matched, current, out);
    }
    await flushWrites(writes);
    const side = runSide(run);
    // A record failing again replaces its open dead letter: one open letter per record, with the latest reason.
    const dead = await numberedDeadLetters(trx, out.dead, "external_key");
    if (after) {
      // Granted once the page before's transaction has ended; its turn then says whether it committed.
      await trx.raw("SELECT pg_advisory_xact_lock_shared(hashtext(?), ?)", [after.key, after.page]);
      if (!(await after.ended)) throw new PredecessorRolledBack();
    }
    await writeTogether(trx, [
      saveLinksWrite(linkSide(run), [...out.links.values()]),
      ledgerWrite(side, out.ledger),
      out.synced.length
        ? writeOf(syncedDeadLettersClose(trx, run.mapping.name, "pull", "external_key", out.synced))
        : undefined,
      dead.successors.length
        ? deadLettersReplace(run.mapping.name, "pull", "external_key", dead.successors)
        : undefined,
      out.skipped.length
        ? writeOf(syncedDeadLettersClose(trx, run.mapping.name, "pull", "external_key", out.skipped, "discarded"))
        : undefined,
      dead.letters.length ? writeOf(deadLettersInsert(trx, side, dead.letters)) : undefined,
      state !== undefined ? writeOf(streamStateSave(trx, run.connection, run.mapping.stream, state)) : undefined,
      writeOf(runCountsAdd(trx, run.runId, out.counts, { stream: run.mapping.stream, direction: "pull", page })),
    ]);
    return out.counts;
  });
  if (turn)
    written.then(
      () => turn.markEnded(true),
      () => turn.markEnded(false),
    );
  return written;
}

async function prepareInside(trx: Knex, run: MappingRun, records: ExternalRecord[]): Promise<PreparedRecord[]> {
  const lookups = await LookupTable.byValue(trx, run.mapping, records);
  return records.map((r) => prepareRecord(run, r, lookups));
}

/**
 * Records the ERP sends exactly as they were last synced (the link's hash) to a live record: nothing to decide and
 * nothing to write, not even a ledger row (the run counts them as unchanged; the link keeps what replay needs).
 * Settled in the same query that reads the page's links; a key repeated in the page takes the full path.
 */
async function settleUnchanged(
  trx: Knex,
  run: MappingRun,
  all: PreparedRecord[],
): Promise<{ links: Map<string, Link>; unchanged: number; prepared: PreparedRecord[] }> {
  const seen = new Map<string, PreparedRecord[]>();
  for (const p of all) if (p.key) seen.get(p.key)?.push(p) ?? seen.set(p.key, [p]);
  const keys = [...seen.keys()];
  const hashes = keys.map((k) => {
    const [p, ...more] = seen.get(k)!;
    return !more.length && p.result.kind === "mapped" ? p.result.hash : null;
  });
  const { links, settled } = await pageLinks(trx, linkSide(run), run.entity.name, keys, hashes);
  if (!settled.size) return { links, unchanged: 0, prepared: all };
  return { links, unchanged: settled.size, prepared: all.filter((p) => !(p.key && settled.has(p.key))) };
}

async function applyRecord(
  trx: Knex,
  run: MappingRun,
  p: PreparedRecord,
  links: Map<string, Link>,
  matched: Map<string, string>,
  current: Map<string, Record<string, unknown>>,
  out: PageOutput,
): Promise<void> {
  if (p.result.kind === "failed") return out.fail(p, null, p.result.reason, p.result.issues);
  if (p.result.kind === "skipped") return out.entry(p, "skipped", null, p.result.message);
  const { body, hash } = p.result;
  const key = p.key!;
  const link = out.links.get(key) ?? links.get(key);
  const recordId = link?.record_id ?? matched.get(key);
  const crm = recordId ? current.get(recordId) : undefined;
  const decision = decidePull({
    entity: run.entity,
    body,
    link,
    crm,
    policy: run.mapping.conflict ?? "erp_wins",
    erpTime: p.erpTime,
  });
  const relink = (id: string, crmVersion: number) => {
    out.links.set(key, {
      record_id: id,
      external_key: key,
      last_hash: hash,
      last_payload: body,
      source: p.source,
      crm_version: crmVersion,
    });
    out.synced.push(key);
  };
  if (decision.kind === "skip") return out.entry(p, "skipped", recordId ?? null, decision.message);
  if (decision.kind === "create") {
    out.pending.push({ p, key, body, hash });
    out.pendingKeys.add(key);
    return;
  }
  const id = recordId!;
  const crmRecord = crm!;
  if (decision.kind === "conflict") {
    out.counts.conflicts++;
    await recordConflict(trx, {
      ...runSide(run),
      recordId: id,
      externalKey: key,
      fields: decision.fields,
      erpPayload: body,
      source: p.source,
      policy: run.mapping.conflict ?? "erp_wins",
      chose: decision.chose,
    });
    if (decision.chose === null) {
      out.entry(
        p,
        "conflict",
        id,
        `changed on both sides: ${Object.keys(decision.fields).join(", ")}; waiting for a decision`,
      );
      return;
    }
  }
  const patch = decision.patch;
  const changed = Object.keys(patch).length > 0;
  const note =
    decision.kind === "conflict"
      ? `conflict on ${Object.keys(decision.fields).join(", ")}: rule chose ${decision.chose === "erp" ? "the ERP" : "the CRM"}`
      : null;
  const done = (version: number) => {
    const moved = decision.kind === "conflict" || decision.erpMoved || !link;
    // When the CRM keeps values the ERP lacks, the link stays behind the record so that push sends them.
    if (moved) relink(id, decision.crmAgrees ? version : (link?.crm_version ?? 0));
    if (changed) out.counts.updated++;
    else out.counts.unchanged++;
    out.entry(p, changed ? "updated" : "unchanged", id, note);
  };
  if (!changed) return done(Number(crmRecord.version));
  out.updates.push({ p, id, patch, version: Number(crmRecord.version), before: crmRecord, done });
  out.pendingKeys.add(key);
}

/** What a page's pending writes are flushed with: its transaction, run, output, current records and write mode. */
interface PageWrites {
  trx: Knex;
  run: MappingRun;
  out: PageOutput;
  current: Map<string, Record<string, unknown>>;
  mode: "bulk" | "alone";
}

/** Writes the page's pending creates and updates (before a key repeats in the page, and at its end). */
async function flushWrites(w: PageWrites): Promise<void> {
  await flushUpdates(w);
  await flushCreates(w);
  w.out.pendingKeys.clear();
}

async function flushUpdates({ trx, run, out, current, mode }: PageWrites): Promise<void> {
  if (!out.updates.length) return;
  const batch = out.updates.splice(0);
  // A record this page created is audited against its stored values, not the body it was sent with.
  const fresh = batch.filter((u) => out.created.has(u.id)).map((u) => u.id);
  if (fresh.length) {
    const stored = await currentRecords(trx, run, fresh);
    for (const u of batch) u.before = stored.get(u.id) ?? u.before;
  }
  const results = await updateBatch(trx, run, batch, mode);
  for (const [i, u] of batch.entries()) {
    const r = results[i];
    if (!r.ok) {
      out.fail(u.p, u.id, r.message, r.issues);
      continue;
    }
    current.set(u.id, r.record);
    u.done(r.record.version as number);
  }
}

async function flushCreates({ trx, run, out, current, mode }: PageWrites): Promise<void> {
  if (!out.pending.length) return;
  const batch = out.pending.splice(0);
  const results = await createBatch(
    trx,
    run,
    batch.map((b) => b.body),
    mode,
  );
  for (const [i, { p, key, body, hash }] of batch.entries()) {
    const r = results[i];
    if (!r.ok) {
      out.fail(p, null, r.message, r.issues);
      continue;
    }
    out.links.set(key, {
      record_id: r.id,
      external_key: key,
      last_hash: hash,
      last_payload: body,
      source: p.source,
      crm_version: r.version,
    });
    out.synced.push(key);
    out.created.add(r.id);
    current.set(r.id, {
      ...body,
      id: r.id,
      version: r.version,
      deleted_at: null,
      updated_at: new Date().toISOString(),
    });
    out.counts.created++;
    out.entry(p, "created", r.id);
  }
}

/** Records not yet linked whose key field (`key.entity`) already holds the mapped value: linked, not duplicated. */
async function matchByEntityKey(
  trx: Knex,
  run: MappingRun,
  prepared: PreparedRecord[],
  links: Map<string, Link>,
): Promise<Map<string, string>> {
  const field = run.mapping.key.entity;
  const out = new Map<string, string>();
  if (!field) return out;
  const wanted = new Map<string, string>();
  for (const p of prepared)
    if (p.key && !links.has(p.key) && p.result.kind === "mapped" && p.result.body[field] != null)
      wanted.set(String(p.result.body[field]), p.key);
  if (!wanted.size) return out;
  const { rows } = await trx.raw(
    `SELECT id, ${quoteIdent(field)}::text AS k FROM ${entityTable(run.entity.name)} WHERE ${quoteIdent(field)}::text = ANY(?::text[]) AND deleted_at IS NULL`,
    [[...wanted.keys()]],
  );
  for (const row of rows as Array<{ id: string; k: string }>) out.set(wanted.get(row.k)!, row.id);
  return out;
}

/**
 * Records Kehu pushed whose run died before it linked them: the document carries the push's idempotency key
 * (`kehu:<entity>:<id>:<version>` in the stream's idempotencyKeyField), so it is linked to that record instead of
 * being imported as a second one.
 */
async function matchPushedRecords(
  trx: Knex,
  run: MappingRun,
  prepared: PreparedRecord[],
  links: Map<string, Link>,
  matched: Map<string, string>,
): Promise<void> {
  const field = run.stream?.idempotencyKeyField;
  if (!field) return;
  const wanted = new Map<string, string>();
  for (const p of prepared) {
    if (!p.key || links.has(p.key) || matched.has(p.key)) continue;
    const id = recordIdOfKey(run.entity.name, readPath(p.source, field));
    if (id) wanted.set(id, p.key);
  }
  if (!wanted.size) return;
  const linked = await linksByRecord(trx, linkSide(run), [...wanted.keys()]);
  const found: Array<{ id: string }> = await trx(entityTableRef(run.entity.name))
    .whereIn("id", [...wanted.keys()])
    .whereNull("deleted_at")
    .select("id");
  for (const { id } of found) if (!linked.has(id)) matched.set(wanted.get(id)!, id);
}

/**
 * Records Kehu pushed as new to a stream that derives a new record's key from the push's idempotency key (SAP
 * business partners' `K…` CardCode), whose run died before it linked them: the key read back is recognised instead
 * of imported as a second record. Candidates: the entity's live records without a link on this stream (and without
 * a key value of their own, which the push would have sent), at each of their versions.
 */
async function matchCreatedKeys(
  trx: Knex,
  run: MappingRun,
  prepared: PreparedRecord[],
  links: Map<string, Link>,
  matched: Map<string, string>,
): Promise<void> {
  const derive = run.createdKeyOf;
  const unknown = new Set(
    prepared.flatMap((p) =>
      p.key && p.result.kind === "mapped" && !links.has(p.key) && !matched.has(p.key) ? [p.key] : [],
    ),
  );
  if (!derive || !unknown.size) return;
  const field = run.mapping.key.entity;
  const side = linkSide(run);
  const { rows } = await trx.raw(
    `SELECT e.id, e.version FROM ${entityTable(run.entity.name)} e
      WHERE e.deleted_at IS NULL ${field ? `AND e.${quoteIdent(field)} IS NULL` : ""}
        AND NOT EXISTS (SELECT 1 FROM kehu.sync_links l
                         WHERE l.connection = ? AND l.stream = ? AND l.entity = ? AND l.record_id = e.id)`,
    [side.connection, side.stream, side.entity],
  );
  for (const { id, version } of rows as Array<{ id: string; version: number }>)
    for (let v = Number(version); v >= 1; v--) {
      const key = derive(idempotencyKeyOf(run.entity.name, id, v));
      if (key && unknown.has(key)) {
        matched.set(key, id);
        unknown.delete(key);
        break;
      }
    }
}

async function currentRecords(
  trx: Knex,
  run: MappingRun,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  if (!ids.length) return new Map();
  const { rows } = await trx.raw(`SELECT * FROM ${entityTable(run.entity.name)} WHERE id = ANY(?::uuid[]) FOR UPDATE`, [
    ids,
  ]);
  return new Map(
    (rows as Array<Record<string, unknown>>).map((row) => {
      const record = rowToRecord(run.entity, row);
      return [row.id as string, record];
    }),
  );
}
