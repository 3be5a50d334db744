import type { EntitySetInfo } from "./entity-sets";
import { toPredicate } from "./filter-predicate";
import { parseFilter } from "./odata-filter";
import { sapErrors } from "./sap-error";
import type { SapRecord } from "./store";

export type OrderBy = { field: string; descending: boolean };
export type CollectionQuery = {
  filter?: (record: SapRecord) => boolean;
  select?: string[];
  orderBy: OrderBy[];
  top?: number;
  skip: number;
  withCount: boolean;
};

/** Reads $filter, $select, $orderby, $top, $skip and $inlinecount (v1) / $count=true (v2). */
export function parseCollectionQuery(
  params: URLSearchParams,
  info: EntitySetInfo,
  options: { version: "v1" | "v2"; caseInsensitive: boolean },
): CollectionQuery {
  const check = (field: string) => {
    if (!info.fields.has(field) && !field.startsWith("U_")) {
      throw sapErrors.badRequest(`Property '${field}' of '${info.typeName}' is invalid`);
    }
    return field;
  };
  const filterText = params.get("$filter");
  const selectText = params.get("$select");
  return {
    filter: filterText
      ? toPredicate(parseFilter(filterText), {
          knownFields: info.fields,
          typeName: info.typeName,
          caseInsensitive: options.caseInsensitive,
        })
      : undefined,
    select: selectText && selectText.trim() !== "*" ? splitList(selectText).map(check) : undefined,
    orderBy: splitList(params.get("$orderby") ?? "").map((part) => {
      const [field, direction = "asc", ...rest] = part.split(/\s+/);
      if (rest.length > 0 || !["asc", "desc"].includes(direction))
        throw sapErrors.badRequest(`Invalid $orderby '${part}'`);
      return { field: check(field), descending: direction === "desc" };
    }),
    top: nonNegative(params, "$top"),
    skip: nonNegative(params, "$skip") ?? 0,
    withCount: options.version === "v1" ? params.get("$inlinecount") === "allpages" : params.get("$count") === "true",
  };
}

/**
 * Filters and sorts; without $orderby the table order (ascending key) is kept so paging stays stable. With `limit`,
 * only the first `limit` records of that order come back (fewer: all there are), found without sorting the rest.
 */
export function matchRecords(records: SapRecord[], query: CollectionQuery, limit?: number): SapRecord[] {
  const matched = query.filter ? records.filter(query.filter) : records;
  if (query.orderBy.length === 0) return limit === undefined ? matched : matched.slice(0, limit);
  const compare = (a: SapRecord, b: SapRecord) => {
    for (const { field, descending } of query.orderBy) {
      const order = compareValues(a[field], b[field]);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
  // A keyset page (a filter past the last key, a page size) wants a few hundred of up to every record.
  if (limit !== undefined && limit * 8 < matched.length) return firstInOrder(matched, compare, limit);
  const sorted = [...matched].sort(compare);
  return limit === undefined ? sorted : sorted.slice(0, limit);
}

/** The first `limit` records as a stable sort would order them: kept sorted, each one placed after its equals. */
function firstInOrder(
  records: SapRecord[],
  compare: (a: SapRecord, b: SapRecord) => number,
  limit: number,
): SapRecord[] {
  const kept: SapRecord[] = [];
  for (const record of records) {
    if (kept.length === limit && compare(record, kept[limit - 1]) >= 0) continue;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(record, kept[mid]) < 0) high = mid;
      else low = mid + 1;
    }
    kept.splice(low, 0, record);
    if (kept.length > limit) kept.pop();
  }
  return kept;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function nonNegative(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw sapErrors.badRequest(`Invalid value '${raw}' for ${name}`);
  return Number(raw);
}
