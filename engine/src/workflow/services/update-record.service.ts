import type { WorkflowService } from "../workflow-service";
import { fieldReads } from "./field-reads";
import { targetRecordId, workflowRecordStore } from "./workflow-record-store";

/** `updateRecord(entity, id, values)`: patches a record as the workflow; `id` defaults to the instance's record. */
export const updateRecordService: WorkflowService = {
  name: "updateRecord",
  version: 1,
  description: "Patches a record (default: the record the instance was started for); returns it.",
  inputSchema: {
    type: "object",
    properties: { entity: { type: "string" }, id: { type: "string" }, values: { type: "object" } },
    required: ["entity", "values"],
  },
  reads: fieldReads,
  async run(call) {
    const store = await workflowRecordStore(call, String(call.input.entity));
    return store.update(targetRecordId(call, "updateRecord"), call.input.values, undefined);
  },
};
