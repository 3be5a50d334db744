/** A `camunda:*` child of `extensionElements` as moddle (and bpmn-engine's behaviour) gives it. */
export interface ExtensionValue {
  $type: string;
  inputParameters?: Array<{ name: string; value?: string }>;
  fields?: FormField[];
  values?: Array<{ name?: string; value?: string }>;
}

export interface FormField {
  id: string;
  label?: string;
  type?: string;
  defaultValue?: string;
  values?: Array<{ id: string; name?: string }>;
  validation?: { constraints?: Array<{ name: string; config?: string }> };
}

export function extensionValues(extensionElements: unknown): ExtensionValue[] {
  const values = (extensionElements as { values?: ExtensionValue[] } | undefined)?.values;
  return Array.isArray(values) ? values : [];
}

/** `camunda:inputParameter`s by name, as written (plain text or `${expression}`). */
export function inputParametersOf(extensionElements: unknown): Record<string, string> {
  const io = extensionValues(extensionElements).find((v) => v.$type === "camunda:InputOutput");
  const out: Record<string, string> = {};
  for (const p of io?.inputParameters ?? []) out[p.name] = p.value ?? "";
  return out;
}

/** `camunda:property` values by name (from `camunda:properties`). */
export function propertiesOf(extensionElements: unknown): Record<string, string> {
  const props = extensionValues(extensionElements).find((v) => v.$type === "camunda:Properties");
  const out: Record<string, string> = {};
  for (const p of props?.values ?? []) if (p.name) out[p.name] = p.value ?? "";
  return out;
}

/** The form fields of a user task (`camunda:formData`). */
export function formFieldsOf(extensionElements: unknown): FormField[] | undefined {
  return extensionValues(extensionElements).find((v) => v.$type === "camunda:FormData")?.fields;
}

/** A value written in the BPMN: a whole `${...}` through the expression evaluator (source trimmed), else as written. */
export function resolveValue(value: string, evaluate: (source: string) => unknown): unknown {
  const whole = /^\s*\$\{([\s\S]+)\}\s*$/.exec(value);
  return whole ? evaluate(whole[1].trim()) : value;
}

/**
 * Resolves input parameters into the service input: `${...}` values through the expression evaluator, text as is,
 * dotted names into nested objects (`values.name` → `{values: {name}}`).
 */
export function resolveInputs(raw: Record<string, string>, evaluate: (source: string) => unknown) {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const resolved = resolveValue(value, evaluate);
    const path = name.split(".");
    let target = input;
    for (const part of path.slice(0, -1)) {
      if (typeof target[part] !== "object" || target[part] === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = resolved;
  }
  return input;
}
