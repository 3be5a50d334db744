import type { EntityDefinition } from "@kehu/schema";
import { columnsOf } from "../storage/columns";
import { recordToRow } from "./record-codec";

/** Records that set the same columns, as rows: one statement writes each group, its columns as unnest arrays. */
export interface ColumnGroup<T> {
  columns: Array<{ name: string; sqlType: string }>;
  members: Array<{ item: T; row: Record<string, unknown> }>;
}

/** Groups `items` by the columns their bodies set, in first-seen order (bulk creates, upserts and patches). */
export function groupByColumns<T>(
  entity: EntityDefinition,
  items: readonly T[],
  bodyOf: (item: T) => Record<string, unknown>,
): Array<ColumnGroup<T>> {
  const types = new Map(entity.fields.flatMap((f) => columnsOf(f).map((c) => [c.name, c.sqlType] as const)));
  const groups = new Map<string, ColumnGroup<T>>();
  for (const item of items) {
    const row = recordToRow(entity, bodyOf(item));
    // Keys come in field order (recordToRow walks the fields), so the same columns give the same signature.
    const names = Object.keys(row);
    const sig = names.join(",");
    let group = groups.get(sig);
    if (!group) {
      group = { columns: names.map((n) => ({ name: n, sqlType: types.get(n)! })), members: [] };
      groups.set(sig, group);
    }
    group.members.push({ item, row });
  }
  return [...groups.values()];
}
