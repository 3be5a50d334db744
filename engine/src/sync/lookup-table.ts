import type { SyncMapping } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTable, quoteIdent } from "../storage/identifiers";
import { type FieldSource, fieldSourceOf, readPath } from "./field-source";

type Lookup = Extract<FieldSource, { kind: "lookup" }>;

const keyOf = (l: Lookup) => `${l.entity}\u0000${l.by}`;

export function lookupsOf(mapping: SyncMapping): Lookup[] {
  return Object.values(mapping.fields)
    .map(fieldSourceOf)
    .filter((s): s is Lookup => s.kind === "lookup");
}

/**
 * The references a page of records needs, resolved with one query per lookup: `CardCode` → the id of the
 * customer whose `code` is that value (pull), or a customer id → its `code` (push).
 */
export class LookupTable {
  private constructor(private readonly maps: Map<string, Map<string, string>>) {}

  static empty(): LookupTable {
    return new LookupTable(new Map());
  }

  /** For pull: the ids of the records each lookup names by value. */
  static async byValue(knex: Knex, mapping: SyncMapping, records: Array<Record<string, unknown>>) {
    const maps = new Map<string, Map<string, string>>();
    for (const lookup of lookupsOf(mapping)) {
      const values = [...new Set(records.map((r) => readPath(r, lookup.from)).filter((v) => v != null && v !== ""))];
      const map = maps.get(keyOf(lookup)) ?? new Map<string, string>();
      if (values.length) {
        const { rows } = await knex.raw(
          `SELECT id, ${quoteIdent(lookup.by)}::text AS k FROM ${entityTable(lookup.entity)} WHERE ${quoteIdent(lookup.by)}::text = ANY(?::text[]) AND deleted_at IS NULL`,
          [values.map(String)],
        );
        for (const row of rows as Array<{ id: string; k: string }>) map.set(row.k, row.id);
      }
      maps.set(keyOf(lookup), map);
    }
    return new LookupTable(maps);
  }

  /** For push: the `by` values of the records each lookup field refers to. */
  static async byId(knex: Knex, mapping: SyncMapping, records: Array<Record<string, unknown>>) {
    const maps = new Map<string, Map<string, string>>();
    for (const [field, raw] of Object.entries(mapping.fields)) {
      const lookup = fieldSourceOf(raw);
      if (lookup.kind !== "lookup") continue;
      const ids = [...new Set(records.map((r) => r[field]).filter((v): v is string => typeof v === "string"))];
      const map = maps.get(keyOf(lookup)) ?? new Map<string, string>();
      if (ids.length) {
        const { rows } = await knex.raw(
          `SELECT id::text AS id, ${quoteIdent(lookup.by)}::text AS v FROM ${entityTable(lookup.entity)} WHERE id = ANY(?::uuid[])`,
          [ids],
        );
        for (const row of rows as Array<{ id: string; v: string }>) map.set(row.id, row.v);
      }
      maps.set(keyOf(lookup), map);
    }
    return new LookupTable(maps);
  }

  get(lookup: Lookup, key: unknown): string | undefined {
    return this.maps.get(keyOf(lookup))?.get(String(key));
  }
}
