import type { EntityDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { createBody, patchBody, toFormData } from "./record-body";

const customer: EntityDefinition = {
  name: "customer",
  fields: [
    { name: "name", type: "text" },
    { name: "credit", type: "money" },
    { name: "number", type: "autonumber", pattern: "C-{0000}" },
    { name: "extra", type: "json" },
  ],
};

describe("form data and request bodies", () => {
  it("sends only what changed, clears with null, and never sends computed fields", () => {
    const record = { id: "1", version: 3, name: "华为", credit: null, number: "C-0001", extra: { a: 1 } };
    const before = toFormData(customer, record);
    expect(before).toEqual({ name: "华为", number: "C-0001", extra: { a: 1 } });
    expect(patchBody(customer, before, { ...before, name: "" })).toEqual({ name: null });
    expect(patchBody(customer, before, { ...before, credit: { amount: "5", currency: "CNY" } })).toEqual({
      credit: { amount: "5", currency: "CNY" },
    });
    expect(patchBody(customer, before, before)).toEqual({});
    expect(createBody(customer, { name: "A", number: "x", extra: 1, credit: undefined })).toEqual({ name: "A" });
  });
});
