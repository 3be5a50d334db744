import type { EntityDefinition, FormDefinition } from "@kehu/schema";
import { describe, expect, it } from "vitest";
import { formSchema } from "../data/form-schema";
import { applyFormLayout } from "./apply-form-layout";

const contract: EntityDefinition = {
  name: "contract",
  fields: [
    { name: "title", type: "text", required: true },
    { name: "status", type: "enum", values: ["draft", "signed"] },
    { name: "signed_on", type: "date" },
    { name: "notes", type: "longtext" },
    { name: "amount", type: "money" },
  ],
};
const form: FormDefinition = {
  entity: "contract",
  name: "default",
  role: null,
  label: { en: "Contract", zh: "合同" },
  sections: [
    {
      title: { en: "Amounts", zh: "金额" },
      columns: 2,
      fields: [
        { field: "amount", required: true },
        { field: "title", help: { en: "As signed", zh: "与签署一致" } },
      ],
    },
    {
      title: { en: "Contract", zh: "合同" },
      columns: 1,
      fields: [
        { field: "status", widget: "radio" },
        { field: "signed_on", visibleWhen: { status: { eq: "signed" } }, required: true },
      ],
    },
  ],
};
const base = () => formSchema(contract, "en", { amount: "Amount", currency: "Currency" }, false);

describe("applyFormLayout", () => {
  it("orders and groups the fields by the form's sections, leaving out the fields it does not place", () => {
    const { schema, uiSchema } = applyFormLayout(base(), form, { status: "draft" }, "zh-CN");
    expect(uiSchema["ui:order"]).toEqual(["amount", "title", "status"]);
    expect(Object.keys(schema.properties ?? {})).not.toContain("notes");
    expect(uiSchema["ui:options"]).toMatchObject({
      sections: [
        { title: "金额", columns: 2, fields: ["amount", "title"] },
        { title: "合同", columns: 1, fields: ["status"] },
      ],
    });
    expect(uiSchema.title["ui:help"]).toBe("与签署一致");
    expect(uiSchema.status["ui:widget"]).toBe("radio");
    expect(schema.required).toEqual(expect.arrayContaining(["title", "amount"]));
  });

  it("shows a conditional field once its rule holds, with its required mark", () => {
    const { schema, uiSchema } = applyFormLayout(base(), form, { status: "signed" }, "en");
    expect(uiSchema["ui:order"]).toEqual(["amount", "title", "status", "signed_on"]);
    expect(schema.required).toContain("signed_on");
  });
});
