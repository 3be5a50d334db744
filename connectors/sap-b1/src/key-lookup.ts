import { mapConcurrent } from "@kehu/connector-kit";
import type { SlJson } from "./service-layer-client";
import { collectionPath, odataString } from "./service-path";
import type { StreamContext } from "./stream-definition";

const KEYS_PER_QUERY = 20;

/**
 * Finds rows whose `field` equals one of `values` with `field eq 'a' or field eq 'b' …` queries (20 values each,
 * to keep URLs short), returning value → rows.
 */
export async function lookupBy(
  ctx: StreamContext,
  set: string,
  field: string,
  select: string[],
  values: string[],
): Promise<Map<string, SlJson[]>> {
  const found = new Map<string, SlJson[]>();
  const unique = [...new Set(values)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_QUERY) chunks.push(unique.slice(i, i + KEYS_PER_QUERY));
  await mapConcurrent(chunks, ctx.client.config.concurrency, async (chunk) => {
    const path = collectionPath(set, {
      $select: [...new Set([field, ...select])].join(","),
      $filter: chunk.map((value) => `${field} eq ${odataString(value)}`).join(" or "),
    });
    for await (const page of ctx.client.pages(path, ctx.signal)) {
      for (const row of page.rows) {
        const value = String(row[field]);
        found.set(value, [...(found.get(value) ?? []), row]);
      }
    }
  });
  return found;
}
