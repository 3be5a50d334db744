import { queuePush } from "../../sync/queued-pushes";
import type { WorkflowService } from "../workflow-service";

/**
 * `syncPush(mapping, id)`: hands a record to a connector. The push is queued with the step and runs after it commits,
 * as a sync run of its own (see the sync monitor), so a slow ERP never holds the instance; the result is the queue id.
 */
export const syncPushService: WorkflowService = {
  name: "syncPush",
  version: 1,
  description:
    "Queues a record for a sync mapping that pushes (e.g. a CRM order to SAP B1); it is pushed after the step commits, as a sync run.",
  inputSchema: {
    type: "object",
    properties: { mapping: { type: "string", minLength: 1 }, id: { type: "string", minLength: 1 } },
    required: ["mapping", "id"],
  },
  async run({ trx, ctx, input, instance }) {
    const queued = await queuePush(trx, {
      mapping: String(input.mapping),
      recordId: String(input.id),
      startedBy: `workflow:${instance.key}`,
    });
    await ctx.jobs?.wakeQueuedPushes(trx);
    return { queued };
  },
};
