import type { Knex } from "knex";
import type { PageWrite } from "./write-together";

/** One entity record linked to one external record of a stream, with what was last synced. */
export interface Link {
  record_id: string;
  external_key: string;
  last_hash: string;
  /** The mapped values (entity side) at the last sync: the base of the next change on either side. */
  last_payload: Record<string, unknown>;
  /** The external record as last read, for replays. */
  source: Record<string, unknown> | null;
  /** The record's version after the last sync wrote or read it. */
  crm_version: number;
}

export interface LinkSide {
  connection: string;
  stream: string;
  entity: string;
}

/**
 * The links of a page's keys, by external key: one index probe per key. A table the run itself is filling has
 * stale statistics, so the planner, believing it nearly empty, scanned or hashed every link of the stream for
 * every page (quadratic in the stream's size); sequential scans are off for this one query. The stored external
 * record (`source`) is large and only replays need it.
 */
export async function linksByKey(
  trx: Knex,
  side: LinkSide,
  keys: string[],
  options: { withSource?: boolean } = {},
): Promise<Map<string, Link>> {
  if (!keys.length) return new Map();
  return withIndexProbes(trx, (t) => selectLinks(t, side, keys, options));
}

/** `linksByKey` for a caller that has already turned sequential scans off in its transaction. */
export async function selectLinks(
  trx: Knex,
  side: LinkSide,
  keys: string[],
  options: { withSource?: boolean } = {},
): Promise<Map<string, Link>> {
  if (!keys.length) return new Map();
  const { rows } = await trx.raw(
    `SELECT record_id, external_key, last_hash, last_payload, crm_version, ${options.withSource ? "source" : "null AS source"}
       FROM kehu.sync_links
      WHERE connection = ? AND stream = ? AND entity = ? AND external_key = ANY(?::text[])`,
    [side.connection, side.stream, side.entity, keys],
  );
  return new Map((rows as Link[]).map((r) => [r.external_key, r]));
}

/** Runs `fn` with sequential scans disabled: inside a transaction for it alone, restored afterwards. */
export async function withIndexProbes<T>(knex: Knex, fn: (trx: Knex) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL enable_seqscan = off");
    try {
      return await fn(trx);
    } finally {
      await trx.raw("SET LOCAL enable_seqscan = on");
    }
  });
}

export async function linksByRecord(trx: Knex, side: LinkSide, ids: string[]): Promise<Map<string, Link>> {
  if (!ids.length) return new Map();
  const rows: Link[] = await trx("kehu.sync_links").where(side).whereIn("record_id", ids);
  return new Map(rows.map((r) => [r.record_id, r]));
}

/** Creates or moves links, keyed by external key (see `saveLinksWrite`). */
export async function saveLinks(trx: Knex, side: LinkSide, links: Link[]): Promise<void> {
  const write = saveLinksWrite(side, links);
  if (write) await trx.raw(write.sql, write.bindings as Knex.RawBinding[]);
}

/**
 * The statement creating or moving links: its rows travel as one JSON document, so its cost grows with the page,
 * not with bind parameters, and the JSON columns are not escaped a second time as array items.
 */
export function saveLinksWrite(side: LinkSide, links: Link[]): PageWrite | undefined {
  if (!links.length) return undefined;
  const rows = links.map((l) => ({
    r: l.record_id,
    k: l.external_key,
    h: l.last_hash,
    p: l.last_payload,
    s: l.source,
    v: l.crm_version,
  }));
  return {
    sql: `INSERT INTO kehu.sync_links
            (connection, stream, entity, record_id, external_key, last_hash, last_payload, source, crm_version, synced_at)
     SELECT ?, ?, ?, u.r, u.k, u.h, u.p, u.s, u.v, now()
       FROM jsonb_to_recordset(?::jsonb) AS u(r uuid, k text, h text, p jsonb, s jsonb, v integer)
     ON CONFLICT (connection, stream, entity, external_key) DO UPDATE
        SET record_id = EXCLUDED.record_id, last_hash = EXCLUDED.last_hash, last_payload = EXCLUDED.last_payload,
            source = EXCLUDED.source, crm_version = EXCLUDED.crm_version, synced_at = EXCLUDED.synced_at`,
    bindings: [side.connection, side.stream, side.entity, JSON.stringify(rows)],
  };
}
