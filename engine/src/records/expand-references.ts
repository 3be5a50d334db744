import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { entityTableRef, SEARCH_COLUMN } from "../storage/identifiers";
import { type RecordBody, rowToRecord } from "./record-codec";

/** What a reader may see of a target entity: its read scope (null: none at all) and the fields to remove. */
export interface ExpandAccess {
  readScope(target: EntityDefinition): ((qb: Knex.QueryBuilder) => void) | undefined | null;
  strip(target: EntityDefinition, record: RecordBody): void;
}

/**
 * Replaces the ids in reference fields by the referenced records (one level, one query per field).
 * A reference to a deleted record expands to null.
 */
export async function expandReferences(
  knex: Knex,
  registry: MetadataRegistry,
  records: RecordBody[],
  fields: readonly FieldDefinition[],
  access?: ExpandAccess,
): Promise<void> {
  for (const field of fields) {
    const target = registry.require(field.target!);
    const ids = [...new Set(records.map((r) => r[field.name]).filter((v): v is string => typeof v === "string"))];
    if (!ids.length) continue;
    // A reader without read access to the target sees every reference expand to null, as if deleted.
    const scope = access ? access.readScope(target) : undefined;
    const query = knex(entityTableRef(target.name)).whereIn("id", ids).whereNull("deleted_at");
    if (scope) query.where(scope);
    const rows: Array<Record<string, unknown>> = scope === null ? [] : await query;
    const byId = new Map(
      rows.map((row) => {
        delete row[SEARCH_COLUMN];
        const record = rowToRecord(target, row);
        access?.strip(target, record);
        return [row.id as string, record];
      }),
    );
    for (const record of records) {
      const id = record[field.name];
      if (typeof id === "string") record[field.name] = byId.get(id) ?? null;
    }
  }
}
