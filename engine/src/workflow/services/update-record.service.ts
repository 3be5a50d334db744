import { RecordStore } from "../../records/record-store";
import { referrersOf } from "../../records/referrers";
import { Access } from "../../security/access";
import { recordHooksOf } from "../../security/record-hooks";
import type { WorkflowService } from "../workflow-service";
import { fieldReads } from "./field-reads";

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
  async run({ trx, ctx, input, principal, instance }) {
    const entity = ctx.registry.require(String(input.entity));
    const id = String(input.id ?? instance.recordId ?? "");
    const access = await Access.load(trx, principal, (name) => ctx.registry.get(name));
    const store = new RecordStore(
      trx,
      entity,
      referrersOf(ctx.registry.list(), entity.name),
      recordHooksOf(access, entity),
    );
    return store.update(id, input.values, undefined);
  },
};
