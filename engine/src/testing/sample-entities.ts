import type { EntityDefinition } from "@kehu/schema";

/** A customer with one field of every stored type, and a contact that refers to it: the tests' common model. */
export const sampleCustomer: EntityDefinition = {
  name: "customer",
  label: { en: "Customer", zh: "客户" },
  titleField: "name",
  ownership: "department",
  fields: [
    { name: "name", type: "text", required: true, max: 100, label: { en: "Name", zh: "名称" } },
    { name: "code", type: "text", unique: true, max: 20 },
    { name: "tier", type: "enum", values: ["gold", "potential", "general"], default: "general" },
    { name: "credit", type: "money" },
    { name: "employees", type: "integer", min: 0 },
    { name: "rating", type: "decimal", precision: 5, scale: 2 },
    { name: "active", type: "boolean" },
    { name: "founded", type: "date" },
    { name: "last_contact", type: "datetime" },
    { name: "tags", type: "multienum", values: ["vip", "overseas", "new"] },
    { name: "email", type: "email" },
    { name: "phone", type: "phone" },
    { name: "website", type: "url" },
    { name: "notes", type: "longtext" },
    { name: "extra", type: "json" },
  ],
};

export const sampleContact: EntityDefinition = {
  name: "contact",
  label: { en: "Contact", zh: "联系人" },
  titleField: "name",
  fields: [
    { name: "name", type: "text", required: true },
    { name: "customer", type: "reference", target: "customer" },
  ],
};
