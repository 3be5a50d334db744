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

/** Filters and sorts; without $orderby the table order (ascending key) is kept so paging stays stable. */
export function matchRecords(records: SapRecord[], query: CollectionQuery): SapRecord[] {
  const matched = query.filter ? records.filter(query.filter) : records;
  if (query.orderBy.length === 0) return matched;
  return [...matched].sort((a, b) => {
    for (const { field, descending } of query.orderBy) {
      const order = compareValues(a[field], b[field]);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  });
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
