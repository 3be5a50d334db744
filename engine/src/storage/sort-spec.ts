import { AppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { quoteIdent } from "./identifiers";
import {
  type Binding,
  isSortable,
  queryFieldSql,
  resolveQueryField,
  type SqlFragment,
  type ValueKind,
} from "./query-fields";

/** One ORDER BY key: an expression over the row and where its value is found in a fetched row (for the cursor). */
export interface SortKey {
  /** API name (`amount`, `credit.currency`), or `_rank` for the search rank. */
  field: string;
  /** The SQL expression ordered by: a quoted column, or the rank expression. */
  sql: string;
  bindings: Binding[];
  /** Property of a fetched row that holds the key's value; computed keys are selected under this alias. */
  rowKey: string;
  computed: boolean;
  /** `rank` is a float4 score. */
  kind: ValueKind | "rank";
  desc: boolean;
  nullable: boolean;
}

/** A parsed sort: its keys, always ending with `id`, and a canonical text used to fingerprint cursors. */
export interface SortSpec {
  keys: SortKey[];
  text: string;
}

export const DEFAULT_SORT = "created_at";
export const MAX_SORT_KEYS = 8;

/**
 * Parses `-amount,name` (a `-` means descending) into ORDER BY keys, always ending with `id` as the tiebreaker.
 * The tiebreaker takes the direction of the last key, so `-amount` is `amount DESC, id DESC`: the exact reverse of an
 * `(amount, id)` index, which PostgreSQL scans backwards. NULLs sort as the largest value (ASC NULLS LAST, DESC NULLS
 * FIRST, PostgreSQL's defaults, which plain indexes serve). Allowed: scalar fields (money by amount, `x.currency`),
 * and system fields; not json, multienum or longtext. No sort means `created_at`. Bad input is a `bad_request`.
 *
 * @example
 * parseSort(customer, "-tier,amount").text // "-tier,amount,id"
 */
export function parseSort(entity: EntityDefinition, sort: unknown, alias?: string): SortSpec {
  if (sort === undefined || sort === null || sort === "") sort = DEFAULT_SORT;
  if (typeof sort !== "string") throw sortError(`sort must be a string like "-amount,name"`);
  const parts = sort.split(",").map((p) => p.trim());
  if (parts.length > MAX_SORT_KEYS) throw sortError(`sort may name at most ${MAX_SORT_KEYS} fields`);
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const desc = part.startsWith("-");
    const name = desc ? part.slice(1) : part;
    if (name === "") throw sortError(`empty field name in sort "${sort}"`);
    const field = resolveQueryField(entity, name);
    if (!field) throw sortError(`unknown field "${name}" in sort`);
    if (!isSortable(field.kind)) throw sortError(`cannot sort by ${field.kind} field "${name}"`);
    if (seen.has(field.column)) throw sortError(`field "${name}" appears twice in sort`);
    seen.add(field.column);
    const key = columnKey(field.name, field.column, field.kind, desc, field.nullable, alias);
    if (field.expression) key.sql = queryFieldSql(entity, field, alias);
    keys.push(key);
    if (field.column === "id") break; // id is unique: nothing after it can change the order
  }
  if (!seen.has("id")) keys.push(columnKey("id", "id", "uuid", keys[keys.length - 1].desc, false, alias));
  return { keys, text: keys.map((k) => (k.desc ? `-${k.field}` : k.field)).join(",") };
}

/** The sort of a search without an explicit sort: best rank first, then id. */
export function rankSort(rank: SqlFragment, alias?: string): SortSpec {
  const keys: SortKey[] = [
    {
      field: "_rank",
      sql: rank.sql,
      bindings: rank.bindings,
      rowKey: "_rank",
      computed: true,
      kind: "rank",
      desc: true,
      nullable: false,
    },
    columnKey("id", "id", "uuid", true, false, alias),
  ];
  return { keys, text: "-_rank,-id" };
}

/** `ORDER BY` body for sort keys (a spec's, or a cursor segment's), with explicit NULLS placement (the defaults, so plain indexes still match). */
export function orderBySql(keys: readonly SortKey[]): SqlFragment {
  return {
    sql: keys.map((k) => `${k.sql} ${k.desc ? "DESC NULLS FIRST" : "ASC NULLS LAST"}`).join(", "),
    bindings: keys.flatMap((k) => k.bindings),
  };
}

function columnKey(
  field: string,
  column: string,
  kind: ValueKind,
  desc: boolean,
  nullable: boolean,
  alias?: string,
): SortKey {
  const sql = alias ? `${quoteIdent(alias)}.${quoteIdent(column)}` : quoteIdent(column);
  return { field, sql, bindings: [], rowKey: column, computed: false, kind, desc, nullable };
}

function sortError(message: string): AppError {
  return new AppError("bad_request", message, [{ path: "/sort", message }]);
}
