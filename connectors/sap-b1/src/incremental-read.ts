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

export async function* readChanged(
  ctx: StreamContext,
  source: IncrementalSource,
  state: StreamState | undefined,
): AsyncGenerator<ReadMessage> {
  let cursor = typeof state?.cursor === "string" ? state.cursor : undefined;
  const since = cursor ? minutesBefore(cursor, ctx.client.config.overlapMinutes) : undefined;
  const path = collectionPath(source.set, {
    $select: source.select.join(","),
    $filter: since ? changedSinceFilter(since) : undefined,
    $orderby: `UpdateDate asc,UpdateTime asc,${source.key} asc`,
  });
  for await (const page of ctx.client.pages(path, ctx.signal)) {
    for (const row of page.rows) {
      const stamp = changeStamp(row);
      if (since && stamp && stamp < since) continue;
      if (stamp && (!cursor || stamp > cursor)) cursor = stamp;
      for (const record of [source.toRecord(row)].flat()) yield { type: "record", record };
    }
    yield { type: "state", state: cursor ? { cursor } : {} };
  }
}
