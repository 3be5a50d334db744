import { evaluateExpression } from "../expressions/compile-expression";
import type { RecordChangeListener } from "../security/record-hooks";
import { mayTriggerOn } from "./record-trigger-entities";
import { queueStart } from "./start-outbox";
import type { WorkflowRuntime } from "./workflow-runtime";

/**
 * The record-change listener of workflow triggers: for each enabled trigger on the entity and action whose condition
 * holds on the new values (`amount > 10000`, or `record.amount`), queues a start in the write's own transaction.
 * Changes made by workflows themselves never trigger (no loops).
 */
export function recordTriggerListener(runtime: WorkflowRuntime): RecordChangeListener {
  return {
    wants: (knex, entity, action, principal) =>
      principal.channel === "workflow" ? Promise.resolve(false) : mayTriggerOn(knex, entity.name, action),
    changed: async (trx, entity, change, principal) => {
      if (principal.channel === "workflow") return;
      if (change.action !== "create" && change.action !== "update") return;
      const triggers = await trx("kehu.wf_triggers")
        .where({ kind: "record", entity: entity.name, enabled: true })
        .whereRaw("? = ANY(events)", [change.action]);
      const record = change.after;
      const scope = { ...record, record, before: change.before ?? {} };
      let queued = 0;
      for (const t of triggers) {
        if (t.condition && evaluateExpression(t.condition, scope, { now: () => runtime.clock.now() }) !== true)
          continue;
        await queueStart(trx, {
          key: t.key,
          variables: { ...t.variables, record, initiator: principal.login },
          entity: entity.name,
          recordId: change.id,
          actor: principal.login,
        });
        queued++;
      }
      // One wake-up drains every start queued by this write.
      if (queued) await runtime.notifyStarts(trx);
    },
  };
}
