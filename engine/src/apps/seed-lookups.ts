import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTableRef, quoteIdent } from "../storage/identifiers";

type SeedRecord = Record<string, unknown>;

const isLookup = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1;

/**
 * Replaces reference values written as a lookup (`"customer": {"code": "C1001"}`) by the id of the one record of
 * the target entity with that field value, so seed files can refer to records loaded before them without ids.
 * A lookup matching no record or several is refused naming the file, the record and the field.
 */
export async function resolveSeedLookups(
  knex: Knex,
  entity: EntityDefinition,
  records: SeedRecord[],
  file: string,
  lookup: (name: string) => EntityDefinition | undefined,
): Promise<SeedRecord[]> {
  const references = entity.fields.filter((f) => f.type === "reference" && f.target);
  const resolved = records.map((r) => ({ ...r }));
  for (const field of references) {
    const target = lookup(field.target as string);
    const wanted = new Map<string, Set<string>>();
    for (const record of resolved) {
      const value = record[field.name];
      if (!isLookup(value)) continue;
      const [[key, keyValue]] = Object.entries(value);
      if (!target?.fields.some((f) => f.name === key))
        throw new AppError("validation_failed", `seed/${file}: ${field.target} has no field "${key}" to look up`);
      if (!wanted.has(key)) wanted.set(key, new Set());
      wanted.get(key)?.add(String(keyValue));
    }
    const ids = new Map<string, string[]>();
    for (const [key, values] of wanted) {
      const rows: Array<{ id: string; k: string }> = await knex(entityTableRef(field.target as string))
        .whereNull("deleted_at")
        .whereIn(key, [...values])
        .select("id", knex.raw(`${quoteIdent(key)}::text AS k`));
      for (const row of rows) {
        const found = ids.get(`${key}\u0000${row.k}`);
        if (found) found.push(row.id);
        else ids.set(`${key}\u0000${row.k}`, [row.id]);
      }
    }
    resolved.forEach((record, index) => {
      const value = record[field.name];
      if (!isLookup(value)) return;
      const [[key, keyValue]] = Object.entries(value);
      const found = ids.get(`${key}\u0000${String(keyValue)}`) ?? [];
      if (found.length !== 1)
        throw new AppError(
          "validation_failed",
          `seed/${file}: record ${index + 1}, ${field.name}: ${found.length ? "several" : "no"} ${field.target} records with ${key} = ${JSON.stringify(keyValue)}`,
        );
      record[field.name] = found[0];
    });
  }
  return resolved;
}
