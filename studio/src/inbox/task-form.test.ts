import { describe, expect, it } from "vitest";
import { completionBody, taskFormParts } from "./task-form";

const form = {
  formKey: null,
  schema: {
    type: "object",
    properties: {
      outcome: { enum: ["approve", "reject", "return"] },
      discount: { title: "Discount %", type: "integer", minimum: 0 },
    },
    required: ["outcome", "discount"],
    additionalProperties: false,
  },
};

describe("a task's form", () => {
  it("keeps the designer's fields for rjsf and turns the outcomes into buttons", () => {
    const parts = taskFormParts(form);
    expect(parts.schema).toEqual({
      type: "object",
      properties: { discount: { title: "Discount %", type: "integer", minimum: 0 } },
      required: ["discount"],
      additionalProperties: false,
    });
    expect(parts.outcomes).toEqual(["approve", "reject", "return"]);
    expect(parts.outcomeRequired).toBe(true);
    // The engine's schema is not changed: it still checks the outcome on completion.
    expect(form.schema.required).toEqual(["outcome", "discount"]);
  });

  it("offers a plain completion when the task does not require an outcome, or has no form", () => {
    const optional = taskFormParts({ formKey: null, schema: { ...form.schema, required: [] } });
    expect(optional.outcomeRequired).toBe(false);
    expect(optional.outcomes).toHaveLength(3);
    expect(taskFormParts(null)).toMatchObject({ schema: { type: "object", properties: {} }, outcomes: [] });
  });

  it("sends the filled fields with the chosen outcome", () => {
    expect(completionBody({ discount: 5, note: "", other: undefined }, "approve")).toEqual({
      discount: 5,
      outcome: "approve",
    });
    expect(completionBody({ discount: 0 })).toEqual({ discount: 0 });
  });
});
