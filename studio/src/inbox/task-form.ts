import type { TaskForm } from "@kehu/client";

/** A task's form split for the page: the fields rjsf renders, and the outcomes shown as buttons. */
export interface TaskFormParts {
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  /** The outcomes the task accepts (approve, reject, return, …), in the designer's order. */
  outcomes: string[];
  /** Whether the task must be completed with an outcome; otherwise a plain "complete" is offered too. */
  outcomeRequired: boolean;
}

/**
 * The task form's JSON Schema without `outcome` (chosen by a button, not a field), keeping the rest as the
 * workflow designer wrote it; the engine checks the data against the full schema on completion.
 *
 * @example
 * taskFormParts({formKey: null, schema: {type: "object", properties: {outcome: {enum: ["approve", "reject"]}}, required: ["outcome"]}})
 * // {schema: {type: "object", properties: {}, required: []}, outcomes: ["approve", "reject"], outcomeRequired: true, …}
 */
export function taskFormParts(form: TaskForm | null, title?: string): TaskFormParts {
  const source = form?.schema ?? { type: "object" };
  const { outcome, ...properties } = (source.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = (source.required ?? []).filter((name) => name !== "outcome");
  const outcomes = Array.isArray(outcome?.enum) ? outcome.enum.map(String) : [];
  const schema: Record<string, unknown> = { ...source, properties, required };
  if (title) schema.title = title;
  return {
    schema,
    uiSchema: { "ui:submitButtonOptions": { norender: true } },
    outcomes,
    outcomeRequired: !!source.required?.includes("outcome") && outcomes.length > 0,
  };
}

/** The body of `complete`: the form's data (fields left empty are not sent) and the chosen outcome, if any. */
export function completionBody(formData: Record<string, unknown>, outcome?: string): Record<string, unknown> {
  const body = Object.fromEntries(Object.entries(formData).filter(([, v]) => v !== undefined && v !== ""));
  return outcome ? { ...body, outcome } : body;
}
