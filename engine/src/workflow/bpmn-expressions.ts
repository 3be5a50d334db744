import { evaluateBpmnExpression } from "./compile-bpmn-expression";

const WHOLE = /^\$\{([\s\S]+)\}$/;
const PART = /\$\{([\s\S]+?)\}/g;

const VARIABLE_PATH = /^\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*$/;

type Context =
  | { environment?: { variables?: Record<string, unknown> }; content?: { loopOutput?: unknown } }
  | undefined;

/**
 * What a multi-instance completion condition counts: `loop.completed` (iterations finished so far) and, per outcome
 * chosen on a finished task, how many chose it (`loop.approve`, `loop.reject`).
 */
function loopCounts(outputs: unknown[]): Record<string, number> {
  const counts: Record<string, number> = { completed: 0 };
  for (const output of outputs) {
    if (!output || typeof output !== "object") continue;
    counts.completed++;
    const outcome = (output as { outcome?: unknown }).outcome;
    // An outcome named "completed" would overwrite the count.
    if (typeof outcome === "string" && outcome !== "completed") counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

/**
 * The process variables an expression sees, as bpmn-elements hands them over (`context.environment.variables`), and
 * `loop` while a multi-instance completion condition runs.
 */
function scopeOf(context: unknown): Record<string, unknown> {
  const { environment, content } = (context as Context) ?? {};
  const variables = environment?.variables ?? {};
  const outputs = content?.loopOutput;
  return Array.isArray(outputs) ? { ...variables, loop: loopCounts(outputs) } : variables;
}

/** A whole `${name}` or `${name.key}` naming a list: the list itself (a multi-instance collection). */
function listNamed(source: string, scope: Record<string, unknown>): unknown[] | undefined {
  const path = VARIABLE_PATH.exec(source);
  if (!path) return undefined;
  const [, head, key] = path;
  const holder = scope[head];
  const value = key
    ? holder && typeof holder === "object"
      ? (holder as Record<string, unknown>)[key]
      : undefined
    : holder;
  return Array.isArray(value) ? value : undefined;
}

/**
 * The element id when `context` is a timer being armed: bpmn-elements reads an empty timer value as "due now", so a
 * `${remindAt}` whose variable is missing would fire at once instead of failing.
 */
function timerOf(context: unknown): string | undefined {
  const content = (context as { content?: { type?: unknown; id?: unknown } } | undefined)?.content;
  return content?.type === "bpmn:TimerEventDefinition" ? String(content.id) : undefined;
}

/**
 * bpmn-engine's `expressions` option: every `${...}` in the BPMN (gateway conditions, timer values) is an expression of
 * Kehu's formula language over the process variables (`amount > 10000 and tier = 'gold'`), or JUEL as Camunda users
 * write it (`amount > 10000 && tier == "gold"`, see translateJuel), run by the safe evaluator:
 * no JavaScript, no access to services or Node. A whole `${...}` gives its value; text around it interpolates. A
 * list variable named alone (`${approval.pending}`) is handed over as is, for a multi-instance collection.
 */
export function bpmnExpressions(now: () => Date) {
  const run = (source: string, context: unknown) => evaluateBpmnExpression(source.trim(), scopeOf(context), { now });
  return {
    resolveExpression(templated: unknown, context: unknown): unknown {
      if (typeof templated !== "string") return templated;
      const whole = WHOLE.exec(templated);
      if (whole && !whole[1].includes("}")) {
        const value = listNamed(whole[1], scopeOf(context)) ?? run(whole[1], context);
        const timer = value === null || value === undefined || value === "" ? timerOf(context) : undefined;
        if (timer !== undefined)
          throw new Error(`${timer}: the timer's ${templated} gave no value (is a variable or field missing?)`);
        return value;
      }
      return templated.replace(PART, (_, inner: string) => {
        const value = run(inner, context);
        return value === null || value === undefined ? "" : String(value);
      });
    },
    isExpression: (text: unknown) => typeof text === "string" && WHOLE.test(text),
    hasExpression: (text: unknown) => typeof text === "string" && /\$\{[\s\S]+?\}/.test(text),
  };
}
