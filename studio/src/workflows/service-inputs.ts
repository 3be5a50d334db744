import type { WorkflowServiceInfo } from "@kehu/client";

type JsonSchema = Record<string, unknown>;

/**
 * The form a service task's inputs are edited with, from the service's input JSON Schema. Every value is written in
 * the BPMN as text (plain or a `${expression}`), so scalars become text fields (enums keep their choices) and an
 * object without declared properties (`values` of updateRecord) becomes a list of named text values.
 */
export function inputFormSchema(service: WorkflowServiceInfo): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, raw] of Object.entries(service.inputSchema.properties)) {
    const p = raw as JsonSchema;
    const description = [p.description, p.type && p.type !== "string" ? `(${String(p.type)})` : ""]
      .filter(Boolean)
      .join(" ");
    if (p.type === "object" && !p.properties)
      properties[name] = { type: "object", title: name, description, additionalProperties: { type: "string" } };
    else if (Array.isArray(p.enum)) properties[name] = { type: "string", title: name, description, enum: p.enum };
    else properties[name] = { type: "string", title: name, description };
  }
  return { type: "object", properties, required: service.inputSchema.required ?? [] };
}

/** Form data to `camunda:inputParameter`s: nested objects become dotted names (`values.status`), empty text is left out. */
export function inputsToParameters(data: Record<string, unknown>, prefix = ""): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [key, value] of Object.entries(data)) {
    const name = `${prefix}${key}`;
    if (value && typeof value === "object" && !Array.isArray(value))
      out.push(...inputsToParameters(value as Record<string, unknown>, `${name}.`));
    else if (value !== undefined && value !== null && String(value) !== "") out.push({ name, value: String(value) });
  }
  return out;
}

/** `camunda:inputParameter`s to form data: dotted names nest, as the engine resolves them. */
export function parametersToInputs(params: Array<{ name: string; value?: string }>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const { name, value } of params) {
    const path = name.split(".");
    let target = data;
    for (const part of path.slice(0, -1)) {
      if (typeof target[part] !== "object" || target[part] === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value ?? "";
  }
  return data;
}
