import { FormulaError } from "../computed/formula-ast";
import { type CompiledExpression, compileExpression, type ExpressionScope } from "../expressions/compile-expression";
import type { Logger } from "../logger";
import type { RecordChangeListener } from "../security/record-hooks";
import { mayTriggerOn } from "./record-trigger-entities";
import { type QueuedStart, queueStarts } from "./start-outbox";
import type { WorkflowRuntime } from "./workflow-runtime";

/**
 * The record-change listener of workflow triggers: for each enabled trigger on the entity and action whose condition
 * holds on the new values (`amount > 10000`, or `record.amount`), queues a start in the write's own transaction.
 * A write of many records (bulk, import, sync) costs one trigger lookup and one outbox insert, not one per record.
 * Changes made by workflows themselves never trigger (no loops).
 */
export function recordTriggerListener(runtime: WorkflowRuntime): RecordChangeListener {
  const holds = conditionHolds(runtime.ctx.logger);
  return {
    wants: (knex, entity, action, principal) =>
      principal.channel === "workflow" ? Promise.resolve(false) : mayTriggerOn(knex, entity.name, action),
    changed: async (trx, entity, changes, principal) => {
      if (principal.channel === "workflow") return;
      const heard = changes.filter((c) => c.action === "create" || c.action === "update");
      if (!heard.length) return;
      const actions = [...new Set(heard.map((c) => c.action))];
      const triggers = await trx("kehu.wf_triggers")
        .where({ kind: "record", entity: entity.name, enabled: true })
        .whereRaw("events && ?::text[]", [actions]);
      if (!triggers.length) return;
      const compiled = triggers.map((t) => ({ t, condition: t.condition ? compileExpression(t.condition) : null }));
      const now = () => runtime.clock.now();
      const starts: QueuedStart[] = [];
      for (const change of heard) {
        const record = change.after;
        const scope = { ...record, record, before: change.before ?? {} };
        for (const { t, condition } of compiled) {
          if (!(t.events as string[]).includes(change.action)) continue;
          if (condition && !holds(condition, scope, now, () => ({ triggerId: t.id, key: t.key, recordId: change.id })))
            continue;
          starts.push({
            key: t.key,
            variables: { ...t.variables, record, initiator: principal.login },
            entity: entity.name,
            recordId: change.id,
            actor: principal.login,
          });
        }
      }
      await queueStarts(trx, starts);
      // One wake-up drains every start queued by this write.
      if (starts.length) await runtime.notifyStarts(trx);
    },
  };
}

/**
 * Whether a trigger's condition holds on a record. One that cannot be evaluated on these values (`name > 5` on a
 * text) does not hold: the trigger is skipped with a warning, and the record's write (maybe a bulk import or a sync
 * page) still commits.
 */
function conditionHolds(logger: Logger) {
  return (
    condition: CompiledExpression,
    scope: ExpressionScope,
    now: () => Date,
    where: () => Record<string, unknown>,
  ): boolean => {
    try {
      return condition.evaluate(scope, { now }) === true;
    } catch (e) {
      if (!(e instanceof FormulaError)) throw e;
      logger.warn(
        { ...where(), condition: condition.source, error: e.message },
        "workflow trigger skipped: its condition cannot be evaluated on the record",
      );
      return false;
    }
  };
}
