import type { WorkflowService } from "../workflow-service";
import { targetRecordId, workflowRecordStore } from "./workflow-record-store";

/**
 * `readRecord(entity, id?)`: the record as it is now (formulas and rollups included) plus `ownerLogin`, so a gateway
 * can decide on fresh values (has it been paid meanwhile?) and a notification can reach the owner.
 */
export const readRecordService: WorkflowService = {
  name: "readRecord",
  version: 1,
  description: "Reads a record as it is now (default: the instance's record), with its owner's login.",
  inputSchema: {
    type: "object",
    properties: { entity: { type: "string" }, id: { type: "string" } },
    required: ["entity"],
  },
  reads: (input) => (input.entity && !input.entity.includes("${") ? [{ entity: input.entity }] : []),
  async run(call) {
    const store = await workflowRecordStore(call, String(call.input.entity));
    const record = await store.get(targetRecordId(call, "readRecord"));
    const owner = record.owner_id
      ? await call.trx("kehu.users").where({ id: record.owner_id }).first("login")
      : undefined;
    return { ...record, ownerLogin: owner?.login ?? null };
  },
};
