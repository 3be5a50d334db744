import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTableRef } from "../storage/identifiers";
import type { ChunkItem } from "./import-chunk";

/** The single-field unique constraints of an entity. */
export function uniqueFields(entity: EntityDefinition): string[] {
  return entity.fields
    .filter(
      (f) =>
        f.unique || (entity.indexes ?? []).some((ix) => ix.unique && ix.fields.length === 1 && ix.fields[0] === f.name),
    )
    .map((f) => f.name);
}

/**
 * Rows whose value of a unique field (other than the upsert key) another live record already holds, found with one
 * query per field for the whole chunk, so the database never has to refuse the batch. A row upserting the record
 * that holds the value is fine.
 */
export async function takenUniqueValues(
  knex: Knex,
  entity: EntityDefinition,
  upsertBy: string | undefined,
  items: readonly ChunkItem[],
): Promise<Array<{ item: ChunkItem; field: string; message: string }>> {
  const out: Array<{ item: ChunkItem; field: string; message: string }> = [];
  for (const field of uniqueFields(entity)) {
    if (field === upsertBy) continue;
    const values = [...new Set(items.flatMap((i) => (i.body[field] == null ? [] : [String(i.body[field])])))];
    if (!values.length) continue;
    const holders: Array<{ v: string; k: string | null }> = await knex(entityTableRef(entity.name))
      .whereNull("deleted_at")
      .whereRaw("??::text = ANY(?::text[])", [field, values])
      .select(
        knex.raw("??::text AS v", [field]),
        knex.raw(upsertBy ? "??::text AS k" : "NULL AS k", upsertBy ? [upsertBy] : []),
      );
    const holder = new Map(holders.map((h) => [h.v, h.k]));
    for (const item of items) {
      const v = item.body[field];
      if (v == null || !holder.has(String(v))) continue;
      const key = holder.get(String(v));
      if (upsertBy && key !== null && key === String(item.body[upsertBy] ?? "")) continue;
      out.push({ item, field, message: `another record already has ${field} "${String(v)}"` });
    }
  }
  return out;
}
