import { readByKey } from "../keyset-read";
import { number, recordSchema, text } from "../record-shape";
import type { SlJson } from "../service-layer-client";
import type { SapStream } from "../stream-definition";

/**
 * Stock per item × warehouse from Items' ItemWarehouseInfoCollection. B1's Available = InStock − Committed +
 * Ordered (Ordered is open purchase orders, so Available is not shelf stock). Stock moves do not reliably bump
 * Items.UpdateDate, so this is a snapshot: every read walks all items by key.
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
  read: (ctx, state) =>
    readByKey(
      ctx,
      {
        set: "Items",
        key: "ItemCode",
        keyType: "string",
        select: ["ItemCode", "ItemWarehouseInfoCollection"],
        snapshot: true,
        toRecord: stockRows,
      },
      state,
    ),
};

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
