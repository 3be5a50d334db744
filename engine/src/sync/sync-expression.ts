import { type CompiledExpression, compileExpression, expressionIssues } from "../expressions/compile-expression";

const compiled = new Map<string, CompiledExpression>();

/** Whether an expression of a mapping compiles; a readable problem when not. */
export function expressionProblem(source: string): string | undefined {
  return expressionIssues(source, "")[0]?.message;
}

/**
 * Evaluates a mapping expression (the formula language: no code, only the scope's values). The scope is the
 * record's fields by name, and the record again as `record` (`record.CardName`).
 */
export function evaluate(source: string, record: Record<string, unknown>): unknown {
  let expression = compiled.get(source);
  if (!expression) {
    expression = compileExpression(source);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(source, expression);
  }
  return expression.evaluate({ ...record, record });
}
