import type { Knex } from "knex";
import { evaluateExpression } from "../expressions/compile-expression";
import { formFieldsOf, propertiesOf, resolveValue } from "./extension-elements";
import { formSchemaOf } from "./form-schema";
import type { WaitingTask } from "./run-engine";

function resolveText(value: unknown, variables: Record<string, unknown>, now: () => Date): string | null {
  if (typeof value !== "string" || !value.trim()) return null;
  const resolved = resolveValue(value, (source) => evaluateExpression(source, variables, { now }));
  return resolved === null || resolved === undefined ? null : String(resolved);
}

function resolveList(value: unknown, variables: Record<string, unknown>, now: () => Date): string[] {
  const text = resolveText(value, variables, now);
  return text
    ? [
        ...new Set(
          text
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
    : [];
}

/**
 * Keeps the inbox in step with the engine: a row per waiting user task (assignee and candidates resolved from the
 * variables, form schema from `camunda:formData`), idempotent on (instance, execution id) because a resumed engine
 * reports its waits again; open rows whose task no longer waits are cancelled (a timer or a gateway took the token).
 */
export async function projectTasks(
  trx: Knex,
  instanceId: string,
  tasks: WaitingTask[],
  variables: Record<string, unknown>,
  now: () => Date,
): Promise<string[]> {
  const rows = tasks.map((t) => {
    const outcomes = propertiesOf(t.behaviour.extensionElements).outcomes;
    const formKey = typeof t.behaviour.formKey === "string" ? t.behaviour.formKey : undefined;
    return {
      instance_id: instanceId,
      execution_id: t.executionId,
      element_id: t.elementId,
      name: t.name,
      assignee: resolveText(t.behaviour.assignee, variables, now),
      candidate_users: resolveList(t.behaviour.candidateUsers, variables, now),
      candidate_groups: resolveList(t.behaviour.candidateGroups, variables, now),
      form: JSON.stringify({
        formKey: formKey ?? null,
        schema: formSchemaOf(
          formFieldsOf(t.behaviour.extensionElements),
          outcomes?.split(",").map((o) => o.trim()),
        ),
      }),
      status: "open",
      created_at: now(),
    };
  });
  const inserted: Array<{ element_id: string }> = rows.length
    ? await trx("kehu.wf_tasks")
        .insert(rows)
        .onConflict(["instance_id", "execution_id"])
        .ignore()
        .returning("element_id")
    : [];
  const open = trx("kehu.wf_tasks").where({ instance_id: instanceId, status: "open" });
  if (tasks.length)
    open.whereNotIn(
      "execution_id",
      tasks.map((t) => t.executionId),
    );
  await open.update({ status: "cancelled", completed_at: now() });
  return inserted.map((r) => r.element_id);
}
