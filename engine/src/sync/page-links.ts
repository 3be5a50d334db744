import type { Knex } from "knex";
import { pgArrayLiteral } from "../records/pg-text";
import { entityTable } from "../storage/identifiers";
import type { Link, LinkSide } from "./link-store";

/** A page's links: those to decide on, and the keys whose record the ERP sent exactly as last synced. */
export interface PageLinks {
  links: Map<string, Link>;
  settled: Set<string>;
}

/**
 * The links of a page's keys, compared with the page's hashes in the same query: a key whose link holds the same
 * hash, to a live record, comes back as settled with nothing else (no payload crosses the wire), so an unchanged
 * snapshot page costs one index probe per key. `hashes` holds null for a key that must be decided in full.
 * The caller has turned sequential scans off (see `linksByKey`). OFFSET 0 keeps `settled` a column computed once per
 * key: inlined, each of the five CASEs probed the entity table again.
 */
export async function pageLinks(
  trx: Knex,
  side: LinkSide,
  entity: string,
  keys: string[],
  hashes: Array<string | null>,
): Promise<PageLinks> {
  const links = new Map<string, Link>();
  const settled = new Set<string>();
  if (!keys.length) return { links, settled };
  const { rows } = await trx.raw(
    `SELECT l.external_key, s.settled,
            CASE WHEN s.settled THEN NULL ELSE l.record_id END AS record_id,
            CASE WHEN s.settled THEN NULL ELSE l.last_hash END AS last_hash,
            CASE WHEN s.settled THEN NULL ELSE l.last_payload END AS last_payload,
            CASE WHEN s.settled THEN NULL ELSE l.crm_version END AS crm_version
       FROM unnest(?::text[], ?::text[]) AS k(key, hash)
       JOIN kehu.sync_links l
         ON l.connection = ? AND l.stream = ? AND l.entity = ? AND l.external_key = k.key
      CROSS JOIN LATERAL (
            SELECT k.hash IS NOT NULL AND l.last_hash = k.hash
                   AND EXISTS (SELECT 1 FROM ${entityTable(entity)} e WHERE e.id = l.record_id AND e.deleted_at IS NULL)
                   AS settled OFFSET 0) s`,
    [pgArrayLiteral(keys), pgArrayLiteral(hashes), side.connection, side.stream, side.entity],
  );
  for (const row of rows as Array<Link & { settled: boolean }>) {
    if (row.settled) settled.add(row.external_key);
    else
      links.set(row.external_key, {
        record_id: row.record_id,
        external_key: row.external_key,
        last_hash: row.last_hash,
        last_payload: row.last_payload,
        source: null,
        crm_version: row.crm_version,
      });
  }
  return { links, settled };
}
