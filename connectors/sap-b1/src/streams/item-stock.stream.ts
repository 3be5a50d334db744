import type { ReadMessage, StreamState } from "@kehu/connector-kit";
import { readChanged } from "../incremental-read";
import { readByKey } from "../keyset-read";
import { number, recordSchema, text } from "../record-shape";
import { changeStamp } from "../sap-timestamp";
import type { SlJson } from "../service-layer-client";
import { collectionPath } from "../service-path";
import type { SapStream, StreamContext } from "../stream-definition";

const select = ["ItemCode", "UpdateDate", "UpdateTime", "ItemWarehouseInfoCollection"];

/**
 * Stock per item × warehouse from Items' ItemWarehouseInfoCollection. B1's Available = InStock − Committed +
 * Ordered (Ordered is open purchase orders, so Available is not shelf stock). Stock moves do not reliably bump
 * Items.UpdateDate, so the stream is a snapshot (every item by key) whenever the last whole read is
 * `stockSnapshotHours` old, and in between reads only the stock of items whose UpdateDate moved since the newest
 * stamp when the snapshot began: a stock move that does not touch its item arrives with the next snapshot at the latest.
 *
 * State: `{ after, cursor, startedAt }` while a snapshot is under way (resumed by key), then
 * `{ cursor, snapshotAt }`; an incremental read moves `cursor` and keeps `snapshotAt`.
 */
export const itemStockStream: SapStream = {
  descriptor: {
    name: "item_stock",
    label: { en: "Stock per warehouse", zh: "仓库库存" },
    primaryKey: ["ItemCode", "WarehouseCode"],
    directions: ["pull"],
    schema: recordSchema(["ItemCode", "WarehouseCode"], {
      ItemCode: text,
      WarehouseCode: text,
      InStock: number,
      Committed: number,
      Ordered: number,
      Available: number,
    }),
  },
  read: (ctx, state) => (snapshotDue(ctx, state) ? readSnapshot(ctx, state) : readStockChanges(ctx, state!)),
};

function snapshotDue(ctx: StreamContext, state: StreamState | undefined): boolean {
  if (!state || state.after !== undefined || typeof state.cursor !== "string") return true;
  const at = typeof state.snapshotAt === "string" ? Date.parse(state.snapshotAt) : Number.NaN;
  return Number.isNaN(at) || Date.now() - at >= ctx.client.config.stockSnapshotHours * 3_600_000;
}

async function* readSnapshot(ctx: StreamContext, state: StreamState | undefined): AsyncGenerator<ReadMessage> {
  const resumed = state?.after !== undefined;
  const startedAt = resumed && typeof state?.startedAt === "string" ? state.startedAt : new Date().toISOString();
  // The change cursor after the walk is the newest stamp when it began (B1's own clock): an item changed while the
  // walk was elsewhere carries a later stamp, so the next change read still brings it however long the walk took.
  const atStart = resumed ? (typeof state?.cursor === "string" ? state.cursor : undefined) : await newestStamp(ctx);
  let newest = atStart;
  const toRecord = (item: SlJson) => {
    const stamp = changeStamp(item);
    if (!atStart && stamp && (!newest || stamp > newest)) newest = stamp;
    return stockRows(item);
  };
  const source = { set: "Items", key: "ItemCode", keyType: "string" as const, select, snapshot: true, toRecord };
  for await (const m of readByKey(ctx, source, resumed ? { after: state?.after } : undefined)) {
    if (m.type !== "state") yield m;
    else if (m.state.after !== undefined) yield { type: "state", state: { ...m.state, cursor: newest, startedAt } };
    else yield { type: "state", state: newest ? { cursor: newest, snapshotAt: startedAt } : {} };
  }
}

async function newestStamp(ctx: StreamContext): Promise<string | undefined> {
  const path = collectionPath("Items", {
    $select: "ItemCode,UpdateDate,UpdateTime",
    $orderby: "UpdateDate desc,UpdateTime desc",
    $top: "1",
  });
  const page = await ctx.client.page(path, ctx.signal);
  return page.rows[0] ? changeStamp(page.rows[0]) : undefined;
}

async function* readStockChanges(ctx: StreamContext, state: StreamState): AsyncGenerator<ReadMessage> {
  const source = { set: "Items", key: "ItemCode", select, toRecord: stockRows };
  for await (const m of readChanged(ctx, source, { cursor: state.cursor }))
    yield m.type === "state" ? { type: "state", state: { ...m.state, snapshotAt: state.snapshotAt } } : m;
}

function stockRows(item: SlJson): SlJson[] {
  const rows = Array.isArray(item.ItemWarehouseInfoCollection) ? (item.ItemWarehouseInfoCollection as SlJson[]) : [];
  return rows.map((row) => {
    const inStock = Number(row.InStock ?? 0);
    const committed = Number(row.Committed ?? 0);
    const ordered = Number(row.Ordered ?? 0);
    return {
      ItemCode: item.ItemCode,
      WarehouseCode: row.WarehouseCode,
      InStock: inStock,
      Committed: committed,
      Ordered: ordered,
      Available: Math.round((inStock - committed + ordered) * 1e6) / 1e6,
    };
  });
}
