/** The attributes a service task may name its service with, as moddle and bpmn-engine both give them (flat). */
export interface ServiceTaskAttributes {
  topic?: unknown;
  delegateExpression?: unknown;
  expression?: unknown;
  class?: unknown;
  implementation?: unknown;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fromExpression(value: string): string | undefined {
  const inner = /^\$\{\s*([A-Za-z_][A-Za-z0-9_.]*?)\s*(\(\s*\))?\s*\}$/.exec(value.trim())?.[1];
  const name = inner?.replace(/^environment\.services\./, "");
  return name && IDENTIFIER.test(name) ? name : undefined;
}

/**
 * The library service a service task calls. The documented form is what Camunda Modeler writes for an external
 * task, `camunda:type="external" camunda:topic="createRecord"`; also accepted: `camunda:delegateExpression` and
 * `camunda:expression` as `${createRecord}`, `camunda:class` (its last dotted segment, first letter lower-cased:
 * `com.acme.CreateRecord`), and `implementation="${environment.services.createRecord}"`.
 */
export function serviceNameOf(task: ServiceTaskAttributes): string | undefined {
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const topic = text(task.topic);
  if (topic) return topic;
  for (const expr of [text(task.delegateExpression), text(task.expression), text(task.implementation)])
    if (expr) return fromExpression(expr) ?? (IDENTIFIER.test(expr) ? expr : `invalid:${expr}`);
  const cls = text(task.class);
  if (cls) {
    const last = cls.split(".").pop() ?? cls;
    return last.charAt(0).toLowerCase() + last.slice(1);
  }
  return undefined;
}
