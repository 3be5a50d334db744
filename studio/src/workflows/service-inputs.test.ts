import { describe, expect, it } from "vitest";
import { inputFormSchema, inputsToParameters, parametersToInputs } from "./service-inputs";

const updateRecord = {
  name: "updateRecord",
  version: 1,
  description: "Patches a record",
  inputSchema: {
    type: "object" as const,
    properties: {
      entity: { type: "string" },
      id: { type: "string" },
      values: { type: "object" },
      mode: { type: "string", enum: ["merge", "replace"] },
      limit: { type: "integer" },
    },
    required: ["entity", "values"],
  },
};

const INITIATOR = "$" + "{initiator}";

describe("a service task's inputs in the side panel", () => {
  it("edits every input as text an expression fits in, keeping choices, required inputs and free-form objects", () => {
    const schema = inputFormSchema(updateRecord) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.entity).toMatchObject({ type: "string", title: "entity" });
    expect(schema.properties.limit).toMatchObject({ type: "string", description: "(integer)" });
    expect(schema.properties.mode.enum).toEqual(["merge", "replace"]);
    expect(schema.properties.values).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(schema).toMatchObject({ required: ["entity", "values"] });
  });

  it("writes nested values as dotted parameters the engine reads back, dropping empty ones", () => {
    const params = inputsToParameters({
      entity: "quote",
      id: "",
      values: { status: "approved", owner: INITIATOR },
    });
    expect(params).toEqual([
      { name: "entity", value: "quote" },
      { name: "values.status", value: "approved" },
      { name: "values.owner", value: INITIATOR },
    ]);
    expect(parametersToInputs(params)).toEqual({
      entity: "quote",
      values: { status: "approved", owner: INITIATOR },
    });
  });
});
