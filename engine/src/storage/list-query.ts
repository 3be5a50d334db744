import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { formulaSelects } from "../computed/formula-select";
import { columnsOf, SYSTEM_COLUMNS } from "./columns";
import { afterCursor, type CursorSegment, decodeCursor, encodeCursor, queryFingerprint } from "./cursor";
import { compileFilter } from "./filter-compiler";
import { entityTableRef } from "./identifiers";
import type { SqlFragment } from "./query-fields";
import { buildSearch, type SearchClause, type SearchMode } from "./search-clause";
import { orderBySql, parseSort, rankSort, type SortSpec } from "./sort-spec";

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 1000;

/** What narrows a list: the same for a page and for a count. */
export interface ListScope {
  /** The filter AST, already JSON-parsed. */
  filter?: unknown;
  search?: string;
  searchMode?: SearchMode;
  /** Include soft-deleted rows (default: only `deleted_at IS NULL`). */
  includeDeleted?: boolean;
  /** Extra constraint added by the caller, e.g. a record scope; not part of the cursor fingerprint. */
  where?: (qb: Knex.QueryBuilder) => void;
}

export interface ListParams extends ListScope {
  /** `-amount,name`; without it, a search ranks by similarity and a plain list sorts by `created_at`. */
  sort?: string;
  /** Page size, default 50, at most 1000. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
}

export interface ListResult {
  /** Raw rows: every column except `_search`. */
  rows: Record<string, unknown>[];
  nextCursor: string | null;
}

/**
 * One page of an entity's records: filter, search, keyset pagination on the sort (ending with id). Fetches
 * `limit + 1` rows to know whether there is a next page. A search without a sort ranks by similarity (fuzzy:
 * word similarity), best first; its cursor carries the rank value (float4, deterministic for the same query) and
 * the id, so paging a ranked search is keyset too, not an offset (no skipped or repeated rows when rows are added).
 * A cursor's "after" is read segment by segment (see `afterCursor`), each an index range, usually one query.
 *
 * @example
 * const page = await listRecords(knex, customer, {filter: {tier: {eq: "gold"}}, sort: "-credit", limit: 20});
 * const next = await listRecords(knex, customer, {filter: {tier: {eq: "gold"}}, sort: "-credit", limit: 20, cursor: page.nextCursor});
 */
export async function listRecords(knex: Knex, entity: EntityDefinition, params: ListParams = {}): Promise<ListResult> {
  const limit = parseLimit(params.limit);
  const filter = compileFilter(entity, params.filter);
  const search = buildSearch(params.search, params.searchMode ?? "contains");
  const explicitSort = params.sort !== undefined && params.sort !== null && params.sort !== "";
  const sort: SortSpec = search && !explicitSort ? rankSort(search.rank) : parseSort(entity, params.sort);
  const fingerprint = queryFingerprint({
    sort: sort.text,
    filter: params.filter ?? null,
    search: search ? [search.mode, search.query] : null,
    deleted: params.includeDeleted === true,
  });

  const read = async (segment: CursorSegment, take: number): Promise<Record<string, unknown>[]> => {
    const query = scopedQuery(knex, entity, params, filter, search).select(selectColumns(entity));
    for (const formula of formulaSelects(knex, entity)) query.select(formula);
    for (const key of sort.keys) if (key.computed) query.select(knex.raw(`${key.sql} AS ${key.rowKey}`, key.bindings));
    if (segment.where.sql !== "TRUE") query.whereRaw(segment.where.sql, segment.where.bindings);
    const order = orderBySql(segment.order);
    return await query.orderByRaw(order.sql, order.bindings).limit(take);
  };
  // A cursor's "after" comes in segments, each an index range in sort order; read them in turn until the page is full.
  const segments: CursorSegment[] =
    params.cursor === undefined || params.cursor === null
      ? [{ where: { sql: "TRUE", bindings: [] }, order: sort.keys }]
      : afterCursor(sort, decodeCursor(params.cursor, sort, fingerprint));
  const rows: Record<string, unknown>[] = [];
  for (const segment of segments) {
    if (rows.length > limit) break;
    rows.push(...(await read(segment, limit + 1 - rows.length)));
  }
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const nextCursor = more ? encodeCursor(sort, rows[rows.length - 1], fingerprint) : null;
  for (const key of sort.keys) if (key.computed) for (const row of rows) delete row[key.rowKey];
  return { rows, nextCursor };
}

/** How many records a list would yield over all its pages. */
export async function countRecords(knex: Knex, entity: EntityDefinition, params: ListScope = {}): Promise<number> {
  const filter = compileFilter(entity, params.filter);
  const search = buildSearch(params.search, params.searchMode ?? "contains");
  const [row] = await scopedQuery(knex, entity, params, filter, search).count({ n: "*" });
  return Number(row.n);
}

function scopedQuery(
  knex: Knex,
  entity: EntityDefinition,
  params: ListScope,
  filter: SqlFragment,
  search: SearchClause | undefined,
): Knex.QueryBuilder {
  const query = knex(entityTableRef(entity.name));
  if (params.includeDeleted !== true) query.whereNull("deleted_at");
  if (filter.sql !== "TRUE") query.whereRaw(filter.sql, filter.bindings);
  if (search) query.whereRaw(search.where.sql, search.where.bindings);
  if (params.where) query.where(params.where);
  return query;
}

/** The stored columns of an entity (system columns, then fields), i.e. everything but `_search`. */
export function selectColumns(entity: EntityDefinition): string[] {
  return [...SYSTEM_COLUMNS.map((c) => c.name), ...entity.fields.flatMap((f) => columnsOf(f).map((c) => c.name))];
}

function parseLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return DEFAULT_LIST_LIMIT;
  const n = typeof limit === "string" && /^\d{1,7}$/.test(limit) ? Number(limit) : limit;
  if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_LIST_LIMIT) return n;
  const message = `limit must be an integer from 1 to ${MAX_LIST_LIMIT}`;
  throw new AppError("bad_request", message, [{ path: "/limit", message }]);
}
