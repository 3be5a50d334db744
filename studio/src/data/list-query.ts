import type { ListQuery } from "@kehu/client";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { type FilterState, toFilterAst } from "./filter-ast";

/** Fields that cannot be sorted on (the API refuses them in `sort`). */
export function isSortable(field: FieldDefinition): boolean {
  return !["json", "multienum", "longtext"].includes(field.type);
}

/** The columns a list starts with: the title field, then the next few short fields. */
export function defaultColumns(entity: EntityDefinition): string[] {
  const short = entity.fields.filter((f) => !["json", "longtext"].includes(f.type)).map((f) => f.name);
  const first = entity.titleField && short.includes(entity.titleField) ? [entity.titleField] : [];
  return [...first, ...short.filter((n) => !first.includes(n))].slice(0, 6);
}

/** The next sort when a header is clicked: ascending, descending, then none. */
export function nextSort(current: string, field: string): string {
  if (current === field) return `-${field}`;
  if (current === `-${field}`) return "";
  return field;
}

/** The API query of a list's state (references among the columns come expanded, to show their titles). */
export function listQuery(
  entity: EntityDefinition,
  state: { columns: string[]; sort: string; filter: FilterState; search: string; fuzzy: boolean },
  pageSize = 50,
): ListQuery {
  const shown = entity.fields.filter((f) => state.columns.includes(f.name));
  const expand = shown.filter((f) => f.type === "reference").map((f) => f.name);
  return {
    filter: toFilterAst(entity.fields, state.filter),
    search: state.search.trim() || undefined,
    searchMode: state.search.trim() && state.fuzzy ? "fuzzy" : undefined,
    sort: state.sort || undefined,
    limit: pageSize,
    ...(expand.length ? { expand } : {}),
  };
}
