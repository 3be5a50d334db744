import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import { rowToRecord } from "../records/record-codec";
import type { Access } from "../security/access";
import { entityTableRef } from "../storage/identifiers";
import { type ListParams, listRecords } from "../storage/list-query";
import { type ExportCell, type ExportColumn, exportCell } from "./export-columns";
import type { HeaderStyle } from "./header-names";

const PAGE = 1000;

export interface ExportSpec {
  knex: Knex;
  registry: MetadataRegistry;
  access: Access;
  entity: EntityDefinition;
  /** The list query with the caller's scope in `where`. */
  params: ListParams;
  columns: ExportColumn[];
  style: HeaderStyle;
  /** References as the target's title (default) or as ids. */
  references: "title" | "id";
  /** Numbers and booleans as typed cells (XLSX) rather than text (CSV). */
  typed: boolean;
}

/**
 * Every row a list matches, as export cells, page by keyset page (never the whole result in memory). The first page
 * is read before returning, so a bad query fails before anything is sent.
 */
export async function exportRows(spec: ExportSpec): Promise<AsyncGenerator<ExportCell[]>> {
  const first = await page(spec, null);
  return (async function* () {
    let current = first;
    for (;;) {
      yield* current.rows;
      if (!current.next) return;
      current = await page(spec, current.next);
    }
  })();
}

async function page(spec: ExportSpec, cursor: string | null): Promise<{ rows: ExportCell[][]; next: string | null }> {
  const { rows, nextCursor } = await listRecords(spec.knex, spec.entity, { ...spec.params, limit: PAGE, cursor });
  const records = rows.map((row) => rowToRecord(spec.entity, row));
  const titles = spec.references === "title" ? await referenceTitles(spec, records) : new Map<string, string>();
  return {
    rows: records.map((r) => spec.columns.map((c) => exportCell(c, r, titles, spec.typed, spec.style))),
    next: nextCursor,
  };
}

/** Titles of the records the page refers to, one query per reference column, within the caller's read scope. */
async function referenceTitles(spec: ExportSpec, records: Record<string, unknown>[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const fields = new Set(
    spec.columns.flatMap((c) => (c.field !== "id" && c.field.type === "reference" ? [c.field] : [])),
  );
  for (const field of fields) {
    const target = spec.registry.require(field.target!);
    const title = target.titleField;
    const ids = [...new Set(records.map((r) => r[field.name]).filter((v): v is string => typeof v === "string"))];
    if (!ids.length || !title) continue;
    // What the caller may not read shows as blank, never as its title or as a hint that it exists.
    const readable =
      spec.access.scopeOf(target.name, "read") !== undefined && !spec.access.hidden(target.name).has(title);
    const query = spec.knex(entityTableRef(target.name)).whereIn("id", ids).whereNull("deleted_at");
    const scope = readable ? spec.access.where(target, "read") : undefined;
    if (scope) query.where(scope);
    const found = readable ? await query.select("id", spec.knex.raw("??::text AS t", [title])) : [];
    for (const id of ids) titles.set(id, "");
    for (const row of found as Array<{ id: string; t: string | null }>) titles.set(row.id, row.t ?? "");
  }
  return titles;
}
