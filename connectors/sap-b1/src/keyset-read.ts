import type { ReadMessage, StreamState } from "@kehu/connector-kit";
import type { SlJson } from "./service-layer-client";
import { collectionPath, odataString } from "./service-path";
import type { StreamContext } from "./stream-definition";

/**
 * Reads a set in key order from `{ "after": <last key> }`. Resume is exact: `key gt after` neither repeats nor
 * skips a row, whatever changed meanwhile. A snapshot source ends with `{}` so the next read starts a new snapshot
 * (stock and balances change without bumping UpdateDate); an append-only source keeps its last key.
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
  const path = collectionPath(source.set, {
    $select: source.select.join(","),
    $filter: after === undefined ? undefined : `${source.key} gt ${literal(after)}`,
    $orderby: `${source.key} asc`,
  });
  for await (const page of ctx.client.pages(path, ctx.signal)) {
    for (const row of page.rows) {
      after = row[source.key] as string | number;
      for (const record of [source.toRecord(row)].flat()) yield { type: "record", record };
    }
    const done = page.next === undefined;
    yield { type: "state", state: done && source.snapshot ? {} : after === undefined ? {} : { after } };
  }
}
