import type { ReadMessage, StreamState } from "@kehu/connector-kit";
import { changedSinceFilter, changeStamp, minutesBefore } from "./sap-timestamp";
import type { SlJson } from "./service-layer-client";
import { collectionPath } from "./service-path";
import type { StreamContext } from "./stream-definition";

/**
 * State of an incremental stream: `{ "cursor": "2026-11-23T17:13:12" }`, the latest UpdateDate+UpdateTime yielded
 * so far (absent: read everything). A resume asks for rows changed since `cursor − overlapMinutes` (minute
 * granular, as SL filters) and skips older rows client-side, so rows at the boundary come again and the runner
 * dedupes them by key + hash; nothing is skipped because rows come ordered by the stamp.
 */
export interface ChangeCursorState {
  cursor?: string;
}

export interface IncrementalSource {
  set: string;
  key: string;
  select: string[];
  toRecord(row: SlJson): SlJson | SlJson[];
}

/**
 * Reads changed rows page by page. After a page whose last row is in a later minute than the query's lower bound,
 * the next query starts again from that minute instead of following the `$skip` nextLink: a row updated meanwhile
 * moves to the end and would shift a `$skip` page, skipping its neighbour. Rows of that minute already yielded in
 * this pass are not yielded twice. Only a page that stays within one minute follows nextLink.
 */
export async function* readChanged(
  ctx: StreamContext,
  source: IncrementalSource,
  state: StreamState | undefined,
): AsyncGenerator<ReadMessage> {
  let cursor = typeof state?.cursor === "string" ? state.cursor : undefined;
  const since = cursor ? minutesBefore(cursor, ctx.client.config.overlapMinutes) : undefined;
  const query = (from: string | undefined) =>
    collectionPath(source.set, {
      $select: source.select.join(","),
      $filter: from ? changedSinceFilter(from) : undefined,
      $orderby: `UpdateDate asc,UpdateTime asc,${source.key} asc`,
    });
  let lower = since;
  const yielded = new Map<string, string | undefined>();
  let path: string | undefined = query(lower);
  while (path) {
    const page = await ctx.client.page(path, ctx.signal);
    let last: string | undefined;
    for (const row of page.rows) {
      const stamp = changeStamp(row);
      last = stamp ?? last;
      if (since && stamp && stamp < since) continue;
      const key = String(row[source.key]);
      if (yielded.has(key) && yielded.get(key) === stamp) continue;
      yielded.set(key, stamp);
      if (stamp && (!cursor || stamp > cursor)) cursor = stamp;
      for (const record of [source.toRecord(row)].flat()) yield { type: "record", record };
    }
    yield { type: "state", state: cursor ? { cursor } : {} };
    const minute = last && `${last.slice(0, 16)}:00`;
    if (page.next && minute && (!lower || minute > lower)) {
      lower = minute;
      for (const [key, stamp] of yielded) if (!stamp || stamp < minute) yielded.delete(key);
      path = query(lower);
    } else {
      path = page.next;
    }
  }
}
