import type { CollectionQuery } from "./odata-query";
import type { SapRecord } from "./store";

export const DEFAULT_PAGE_SIZE = 20;

export type PageSize = { size: number; applied?: string };

/** `Prefer: odata.maxpagesize=N` wins over `B1S-PageSize: N`, which wins over the configured size; 0 disables paging. */
export function resolvePageSize(headers: Headers, configured: number): PageSize {
  for (const preference of (headers.get("prefer") ?? "").split(",")) {
    const match = /^\s*odata\.maxpagesize\s*=\s*(\d+)\s*$/i.exec(preference);
    if (match) return { size: Number(match[1]), applied: `odata.maxpagesize=${match[1]}` };
  }
  const b1s = headers.get("b1s-pagesize");
  if (b1s && /^\d+$/.test(b1s.trim())) return { size: Number(b1s) };
  return { size: configured };
}

export type Page = { rows: SapRecord[]; nextLink?: string };

/** Cuts one server-driven page; the link echoes the other query options and carries the next $skip (and what is left of $top). */
export function cutPage(
  matched: SapRecord[],
  query: CollectionQuery,
  pageSize: number,
  link: { resource: string; params: URLSearchParams },
): Page {
  const end = query.top === undefined ? matched.length : Math.min(matched.length, query.skip + query.top);
  const pageEnd = pageSize > 0 ? Math.min(end, query.skip + pageSize) : end;
  const rows = matched.slice(query.skip, pageEnd);
  if (pageEnd >= end) return { rows };
  const echoed = [...link.params].filter(([name]) => name !== "$skip" && name !== "$top");
  if (query.top !== undefined) echoed.push(["$top", String(end - pageEnd)]);
  echoed.push(["$skip", String(pageEnd)]);
  const queryText = echoed.map(([name, value]) => `${name}=${encodeOption(value)}`).join("&");
  return { rows, nextLink: `${link.resource}?${queryText}` };
}

function encodeOption(value: string): string {
  return encodeURIComponent(value).replaceAll("%2C", ",").replaceAll("%24", "$");
}
