import { AppError } from "@kehu/core";
import type { ListParams } from "../storage/list-query";

const MAX_FILTER_CHARS = 64 * 1024;

/** The list query string (`filter`, `search`, `searchMode`, `sort`, `limit`, `cursor`) as list parameters. */
export function parseListParams(query: Record<string, string>): ListParams {
  const params: ListParams = {};
  if (query.filter !== undefined && query.filter !== "") {
    if (query.filter.length > MAX_FILTER_CHARS) throw new AppError("bad_filter", "The filter is too long");
    try {
      params.filter = JSON.parse(query.filter);
    } catch (e) {
      throw new AppError("bad_filter", `filter is not valid JSON: ${(e as Error).message}`, [
        { path: "/filter", message: "is not valid JSON" },
      ]);
    }
  }
  if (query.search !== undefined && query.search !== "") params.search = query.search;
  if (query.searchMode !== undefined) {
    if (query.searchMode !== "contains" && query.searchMode !== "fuzzy")
      throw new AppError("bad_request", 'searchMode must be "contains" or "fuzzy"', [
        { path: "/searchMode", message: "must be contains or fuzzy" },
      ]);
    params.searchMode = query.searchMode;
  }
  if (query.sort !== undefined && query.sort !== "") params.sort = query.sort;
  if (query.limit !== undefined) {
    const limit = Number(query.limit);
    if (!/^\d+$/.test(query.limit) || limit < 1 || limit > 1000)
      throw new AppError("bad_request", "limit must be a whole number from 1 to 1000", [
        { path: "/limit", message: "must be 1 to 1000" },
      ]);
    params.limit = limit;
  }
  if (query.cursor !== undefined && query.cursor !== "") params.cursor = query.cursor;
  const known = new Set(["filter", "search", "searchMode", "sort", "limit", "cursor", "fields", "expand"]);
  const unknown = Object.keys(query).filter((k) => !known.has(k));
  if (unknown.length)
    throw new AppError(
      "bad_request",
      `Unknown query parameters: ${unknown.join(", ")}`,
      unknown.map((k) => ({ path: `/${k}`, message: "unknown query parameter" })),
    );
  return params;
}
