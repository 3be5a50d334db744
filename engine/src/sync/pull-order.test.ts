import type { SyncMapping } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { pullOrder } from "./pull-order";

const mapping = (name: string, entity: string, lookups: string[] = [], direction = "pull"): SyncMapping => ({
  name,
  connection: "erp",
  stream: name,
  entity,
  direction: direction as SyncMapping["direction"],
  key: { external: ["Id"] },
  fields: Object.fromEntries(lookups.map((e) => [`${e}_ref`, { lookup: { entity: e, by: "code", from: "Code" } }])),
});

describe("pullOrder", () => {
  it("pulls the entities a mapping looks up before it, whatever the names", () => {
    const order = pullOrder([
      mapping("a_balances", "balance", ["customer"]),
      mapping("b_stock", "stock", ["item"]),
      mapping("c_orders", "order", ["customer", "item"]),
      mapping("d_customers", "customer"),
      mapping("e_items", "item"),
      mapping("f_push", "order", ["customer"], "push"),
    ]).map((m) => m.name);
    expect(order).toEqual(["d_customers", "a_balances", "e_items", "b_stock", "c_orders"]);
  });

  it("breaks a cycle in the given order, after what is ready, and ignores self-references", () => {
    expect(
      pullOrder([mapping("x", "x", ["y"]), mapping("y", "y", ["x"]), mapping("z", "z")]).map((m) => m.name),
    ).toEqual(["z", "x", "y"]);
    expect(pullOrder([mapping("self", "node", ["node"]), mapping("b", "b")]).map((m) => m.name)).toEqual(["self", "b"]);
  });
});
