import { evaluateExpression } from "../expressions/compile-expression";

const WHOLE = /^\$\{([\s\S]+)\}$/;
const PART = /\$\{([\s\S]+?)\}/g;

/** The process variables an expression sees, as bpmn-elements hands them over (`context.environment.variables`). */
function scopeOf(context: unknown): Record<string, unknown> {
  const env = (context as { environment?: { variables?: Record<string, unknown> } } | undefined)?.environment;
  return env?.variables ?? {};
}

/**
 * bpmn-engine's `expressions` option: every `${...}` in the BPMN (gateway conditions, timer values) is an expression of
 * Kehu's formula language over the process variables (`amount > 10000 and tier = 'gold'`), run by the safe evaluator:
 * no JavaScript, no access to services or Node. A whole `${...}` gives its value; text around it interpolates.
 */
export function bpmnExpressions(now: () => Date) {
  const run = (source: string, context: unknown) => evaluateExpression(source.trim(), scopeOf(context), { now });
  return {
    resolveExpression(templated: unknown, context: unknown): unknown {
      if (typeof templated !== "string") return templated;
      const whole = WHOLE.exec(templated);
      if (whole && !whole[1].includes("}")) return run(whole[1], context);
      return templated.replace(PART, (_, inner: string) => {
        const value = run(inner, context);
        return value === null || value === undefined ? "" : String(value);
      });
    },
    isExpression: (text: unknown) => typeof text === "string" && WHOLE.test(text),
    hasExpression: (text: unknown) => typeof text === "string" && /\$\{[\s\S]+?\}/.test(text),
  };
}
