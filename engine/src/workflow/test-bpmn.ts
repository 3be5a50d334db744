/** Wraps a process body in BPMN 2.0 definitions with the camunda namespace, for tests and examples. */
export function bpmnXml(body: string, processId = "p"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="http://kehu.dev/test">
  <process id="${processId}" isExecutable="true">${body}</process>
</definitions>`;
}

/** A `camunda:inputOutput` block with the given input parameters. */
export function inputs(values: Record<string, string>): string {
  const params = Object.entries(values)
    .map(([name, value]) => `<camunda:inputParameter name="${name}">${value}</camunda:inputParameter>`)
    .join("");
  return `<extensionElements><camunda:inputOutput>${params}</camunda:inputOutput></extensionElements>`;
}

/** Sequence flows chaining the given element ids in order. */
export function chain(...ids: string[]): string {
  return ids
    .slice(1)
    .map((to, i) => `<sequenceFlow id="f_${ids[i]}_${to}" sourceRef="${ids[i]}" targetRef="${to}"/>`)
    .join("");
}
