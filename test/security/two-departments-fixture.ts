// The entities and role permission the department-scoped security tests share: an `account` owned by department
// (with a unique code, a field to hide and a field to make read-only) and a `deal` referring to it.

export const account = {
  name: "account",
  label: { en: "Account", zh: "客户" },
  titleField: "name",
  ownership: "department" as const,
  fields: [
    { name: "name", type: "text" as const, required: true },
    { name: "code", type: "text" as const, unique: true },
    { name: "secret", type: "text" as const },
    { name: "amount", type: "integer" as const },
  ],
};

/** A deal referring to an account, owned by its user or by its department. */
export function dealEntity(ownership: "user" | "department") {
  return {
    name: "deal",
    label: { en: "Deal", zh: "商机" },
    ownership,
    fields: [
      { name: "title", type: "text" as const },
      { name: "account", type: "reference" as const, target: "account", onDelete: "setNull" as const },
    ],
  };
}

/** Every action within the caller's department. */
export const departmentWide = {
  create: "department",
  read: "department",
  update: "department",
  delete: "department",
} as const;
