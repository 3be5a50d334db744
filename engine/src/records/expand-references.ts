import type { FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { entityTableRef, SEARCH_COLUMN } from "../storage/identifiers";
import { type RecordBody, rowToRecord } from "./record-codec";

/**
 * Replaces the ids in reference fields by the referenced records (one level, one query per field).
 * A reference to a deleted record expands to null.
 */
export async function expandReferences(
  knex: Knex,
  registry: MetadataRegistry,
  records: RecordBody[],
  fields: readonly FieldDefinition[],
): Promise<void> {
  for (const field of fields) {
    const target = registry.require(field.target!);
    const ids = [...new Set(records.map((r) => r[field.name]).filter((v): v is string => typeof v === "string"))];
    if (!ids.length) continue;
    const rows: Array<Record<string, unknown>> = await knex(entityTableRef(target.name))
      .whereIn("id", ids)
      .whereNull("deleted_at");
    const byId = new Map(
      rows.map((row) => {
        delete row[SEARCH_COLUMN];
        return [row.id as string, rowToRecord(target, row)];
      }),
    );
    for (const record of records) {
      const id = record[field.name];
      if (typeof id === "string") record[field.name] = byId.get(id) ?? null;
    }
  }
}
