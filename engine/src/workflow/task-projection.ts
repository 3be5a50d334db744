import { evaluateBpmnExpression } from "./compile-bpmn-expression";
import { formFieldsOf, propertiesOf, resolveValue } from "./extension-elements";
import { formSchemaOf } from "./form-schema";
import type { WaitingTask } from "./run-engine";
import { resolvePriority, resolveTaskDate } from "./task-schedule";

function resolveText(value: unknown, variables: Record<string, unknown>, now: () => Date): string | null {
  if (typeof value !== "string" || !value.trim()) return null;
  const resolved = resolveValue(value, (source) => evaluateBpmnExpression(source, variables, { now }));
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

/** Due and follow-up dates (a duration counts from now, when the task opens) and priority, naming the task if bad. */
function scheduleOf(t: WaitingTask, scope: Record<string, unknown>, now: () => Date) {
  const evaluate = (source: string) => evaluateBpmnExpression(source, scope, { now });
  try {
    return {
      due_at: resolveTaskDate(t.behaviour.dueDate, now(), evaluate, "due date"),
      follow_up_at: resolveTaskDate(t.behaviour.followUpDate, now(), evaluate, "follow-up date"),
      priority: resolvePriority(t.behaviour.priority, evaluate),
    };
  } catch (e) {
    throw new Error(`${t.elementId}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The inbox rows of the user tasks waiting after a step: assignee and candidates resolved from the variables, the
 * form schema from `camunda:formData` (written with the step, see writeStep). An iteration of a multi-instance task
 * also sees its element variable, so `camunda:assignee="${approver}"` gives each iteration its own assignee.
 */
export function taskRowsOf(tasks: WaitingTask[], variables: Record<string, unknown>, now: () => Date) {
  return tasks.map((t) => {
    const scope = { ...variables, ...t.scope };
    const outcomes = propertiesOf(t.behaviour.extensionElements).outcomes;
    const formKey = typeof t.behaviour.formKey === "string" ? t.behaviour.formKey : undefined;
    return {
      execution_id: t.executionId,
      element_id: t.elementId,
      name: t.name,
      assignee: resolveText(t.behaviour.assignee, scope, now),
      candidate_users: resolveList(t.behaviour.candidateUsers, scope, now),
      candidate_groups: resolveList(t.behaviour.candidateGroups, scope, now),
      ...scheduleOf(t, scope, now),
      form: {
        formKey: formKey ?? null,
        schema: formSchemaOf(
          formFieldsOf(t.behaviour.extensionElements),
          outcomes?.split(",").map((o) => o.trim()),
        ),
      },
    };
  });
}
