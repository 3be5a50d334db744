/** Whether an expression of a mapping compiles; a readable problem when not. */
export function expressionProblem(_source: string): string | undefined {
  return "computed fields wait for the safe expression evaluator";
}

/** Evaluates a mapping expression over a scope object. */
export function evaluate(_source: string, _scope: Record<string, unknown>): unknown {
  throw new Error("computed fields wait for the safe expression evaluator");
}
