import { describe, expect, it } from "vitest";
import { type CollectionQuery, matchRecords } from "./odata-query";
import type { SapRecord } from "./store";

const query = (orderBy: CollectionQuery["orderBy"], filter?: CollectionQuery["filter"]): CollectionQuery => ({
  orderBy,
  filter,
  skip: 0,
  withCount: false,
});

// Shuffled records with many ties on Group, so a limited read must keep a stable sort's order among equals.
const records: SapRecord[] = Array.from({ length: 400 }, (_, i) => ({
  ItemCode: `I${String((i * 7919) % 400).padStart(3, "0")}`,
  Group: (i * 31) % 5,
  UpdateDate: `2026-01-${String(1 + ((i * 13) % 28)).padStart(2, "0")}`,
}));

describe("matchRecords with a limit", () => {
  it("returns the first records of the full sort, ties in table order, for every order and filter", () => {
    const orders: CollectionQuery["orderBy"][] = [
      [{ field: "ItemCode", descending: false }],
      [{ field: "Group", descending: false }],
      [
        { field: "UpdateDate", descending: true },
        { field: "Group", descending: false },
      ],
    ];
    const past = (r: SapRecord) => (r.ItemCode as string) > "I150";
    for (const orderBy of orders)
      for (const filter of [undefined, past])
        for (const limit of [1, 7, 21, 49, 1000]) {
          const all = matchRecords(records, query(orderBy, filter));
          expect(matchRecords(records, query(orderBy, filter), limit)).toEqual(all.slice(0, limit));
        }
  });

  it("keeps table order without $orderby", () => {
    expect(matchRecords(records, query([]), 3)).toEqual(records.slice(0, 3));
  });
});
