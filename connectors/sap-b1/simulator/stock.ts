import { sapErrors } from "./sap-error";
import type { SapRecord, SapStore } from "./store";

export type WarehouseInfo = {
  WarehouseCode: string;
  InStock: number;
  Committed: number;
  Ordered: number;
  MinimalStock: number;
  Locked: string;
  ItemCode: string;
};

/** Committed quantity per "item|warehouse" that an order currently holds: open lines of an open order. */
export function orderCommitments(order: SapRecord | undefined): Map<string, number> {
  const held = new Map<string, number>();
  if (order?.DocumentStatus !== "bost_Open" || order.Cancelled === "tYES") return held;
  for (const line of order.DocumentLines as SapRecord[]) {
    if (line.LineStatus !== "bost_Open") continue;
    const key = `${line.ItemCode}|${line.WarehouseCode}`;
    held.set(key, (held.get(key) ?? 0) + Number(line.RemainingOpenQuantity));
  }
  return held;
}

/** Moves Committed on the items by the difference between two commitment maps. */
export function applyCommitmentChange(store: SapStore, before: Map<string, number>, after: Map<string, number>): void {
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (delta === 0) continue;
    const [itemCode, warehouseCode] = key.split("|");
    adjustWarehouse(store, itemCode, warehouseCode, (row) => {
      row.Committed = round(row.Committed + delta);
    });
  }
}

/** Takes quantity out of a warehouse; refuses to go negative unless the store allows negative stock. */
export function issueStock(store: SapStore, itemCode: string, warehouseCode: string, quantity: number, line: number) {
  adjustWarehouse(store, itemCode, warehouseCode, (row) => {
    if (store.blockNegativeStock && row.InStock - quantity < 0) {
      throw sapErrors.business(`Quantity falls into negative inventory  [DocumentLines.ItemCode][line: ${line}]`);
    }
    row.InStock = round(row.InStock - quantity);
  });
}

function adjustWarehouse(
  store: SapStore,
  itemCode: string,
  warehouseCode: string,
  change: (row: WarehouseInfo) => void,
) {
  store.update("Items", itemCode, (item) => {
    const rows = item.ItemWarehouseInfoCollection as WarehouseInfo[];
    let row = rows.find((candidate) => candidate.WarehouseCode === warehouseCode);
    if (!row) {
      row = emptyWarehouseInfo(itemCode, warehouseCode);
      rows.push(row);
    }
    change(row);
    refreshItemTotals(item);
    if (store.stockMovesTouchItems) store.touch(item);
  });
}

export function emptyWarehouseInfo(itemCode: string, warehouseCode: string): WarehouseInfo {
  return {
    WarehouseCode: warehouseCode,
    InStock: 0,
    Committed: 0,
    Ordered: 0,
    MinimalStock: 0,
    Locked: "tNO",
    ItemCode: itemCode,
  };
}

export function refreshItemTotals(item: SapRecord): void {
  const rows = item.ItemWarehouseInfoCollection as WarehouseInfo[];
  item.QuantityOnStock = round(rows.reduce((sum, row) => sum + row.InStock, 0));
  item.QuantityOrderedByCustomers = round(rows.reduce((sum, row) => sum + row.Committed, 0));
  item.QuantityOrderedFromVendors = round(rows.reduce((sum, row) => sum + row.Ordered, 0));
}

export function round(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
