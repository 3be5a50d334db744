import type { ReadMessage, StreamState } from "@kehu/connector-kit";
import type { SlJson } from "./service-layer-client";
import { collectionPath, odataString } from "./service-path";
import type { StreamContext } from "./stream-definition";

/**
 * Reads a set in key order from `{ "after": <last key> }`. Every page is asked as `key gt <last key>` rather than
 * by the `$skip` nextLink, so a row inserted or removed meanwhile cannot shift a page; resume is exact. A snapshot
 * source ends with `{}` so the next read starts a new snapshot (stock and balances change without bumping
 * UpdateDate); an append-only source keeps its last key.
 */
export interface KeysetSource {
  set: string;
  key: string;
  keyType: "string" | "int";
  select: string[];
  snapshot: boolean;
  toRecord(row: SlJson): SlJson | SlJson[];
}

export async function* readByKey(
  ctx: StreamContext,
  source: KeysetSource,
  state: StreamState | undefined,
): AsyncGenerator<ReadMessage> {
  let after = state?.after as string | number | undefined;
  const literal = (value: string | number) => (source.keyType === "int" ? String(value) : odataString(String(value)));
  const query = () =>
    collectionPath(source.set, {
      $select: source.select.join(","),
      $filter: after === undefined ? undefined : `${source.key} gt ${literal(after)}`,
      $orderby: `${source.key} asc`,
    });
  for (let more = true; more; ) {
    const page = await ctx.client.page(query(), ctx.signal);
    for (const row of page.rows) {
      after = row[source.key] as string | number;
      for (const record of [source.toRecord(row)].flat()) yield { type: "record", record };
    }
    more = page.next !== undefined && page.rows.length > 0;
    yield { type: "state", state: !more && source.snapshot ? {} : after === undefined ? {} : { after } };
  }
}
