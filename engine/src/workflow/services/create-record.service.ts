import { RecordStore } from "../../records/record-store";
import { referrersOf } from "../../records/referrers";
import { Access } from "../../security/access";
import { recordHooksOf } from "../../security/record-hooks";
import type { WorkflowService } from "../workflow-service";
import { fieldReads } from "./field-reads";

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
  async run({ trx, ctx, input, principal }) {
    const entity = ctx.registry.require(String(input.entity));
    const access = await Access.load(trx, principal, (name) => ctx.registry.get(name));
    const store = new RecordStore(
      trx,
      entity,
      referrersOf(ctx.registry.list(), entity.name),
      recordHooksOf(access, entity),
    );
    return store.create(input.values, principal.login);
  },
};
