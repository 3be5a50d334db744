import type { WorkflowService } from "../workflow-service";
import { fieldReads } from "./field-reads";
import { workflowRecordStore } from "./workflow-record-store";

/** `createRecord(entity, values)`: creates a record as the workflow (validation, audit with channel `workflow`). */
export const createRecordService: WorkflowService = {
  name: "createRecord",
  version: 1,
  description: "Creates a record of an entity; returns it (with its id).",
  inputSchema: {
    type: "object",
    properties: { entity: { type: "string" }, values: { type: "object" } },
    required: ["entity", "values"],
  },
  reads: fieldReads,
  async run(call) {
    const store = await workflowRecordStore(call, String(call.input.entity));
    return store.create(call.input.values, call.principal.login);
  },
};
