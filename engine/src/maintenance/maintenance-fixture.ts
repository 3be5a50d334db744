import type { EntityDefinition } from "@kehu/schema";

/** A parent with a filtered sum roll-up and an autonumber over a child: the model the maintenance tests share. */
export const maintenanceEntities: EntityDefinition[] = [
  {
    name: "customer",
    label: { en: "Customer", zh: "客户" },
    titleField: "name",
    fields: [
      { name: "name", type: "text", required: true },
      { name: "code", type: "text", unique: true },
      { name: "employees", type: "integer" },
      { name: "rating", type: "decimal", scale: 2 },
      { name: "credit", type: "money" },
      { name: "tags", type: "multienum", values: ["vip", "new"] },
      { name: "extra", type: "json" },
      { name: "number", type: "autonumber", pattern: "C-{YYYY}-{0000}" },
      {
        name: "confirmed_total",
        type: "rollup",
        child: "order",
        via: "customer",
        function: "sum",
        field: "amount",
        filter: { status: { eq: "confirmed" } },
      },
    ],
  },
  {
    name: "order",
    label: { en: "Order", zh: "订单" },
    fields: [
      { name: "customer", type: "reference", target: "customer", required: true },
      { name: "amount", type: "decimal", scale: 2 },
      { name: "status", type: "enum", values: ["draft", "confirmed"] },
    ],
  },
];
