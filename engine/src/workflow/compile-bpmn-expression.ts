import { FormulaError } from "../computed/formula-ast";
import {
  type CompiledExpression,
  compileExpression,
  type EvaluateOptions,
  type ExpressionScope,
  type ScopeFunction,
} from "../expressions/compile-expression";
import { translateJuel } from "./juel-dialect";

/** JUEL's `empty`: null, '' or an empty list or object. */
const isEmpty: ScopeFunction = {
  arity: 1,
  run: ([v]) =>
    v === null ||
    v === undefined ||
    v === "" ||
    (Array.isArray(v) ? v.length === 0 : typeof v === "object" && Object.keys(v).length === 0),
};

const BPMN_FUNCTIONS = { is_empty: isEmpty };

function atOriginal<T>(map: (position: number) => number, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof FormulaError) throw new FormulaError(map(e.position), e.reason);
    throw e;
  }
}

/**
 * Compiles the inside of a BPMN `${...}`: the formula language, or JUEL as Camunda users write it (see translateJuel).
 * Deploy checks and the running engine both go through here, so what deploys runs. Errors, at compile time and when
 * run, name positions in the text as written.
 */
export function compileBpmnExpression(source: string): CompiledExpression {
  const translated = translateJuel(source);
  const compiled = atOriginal(translated.originalPosition, () =>
    compileExpression(translated.text, { functions: BPMN_FUNCTIONS }),
  );
  return {
    source,
    references: compiled.references,
    evaluate: (scope, options) => atOriginal(translated.originalPosition, () => compiled.evaluate(scope, options)),
  };
}

export function evaluateBpmnExpression(source: string, scope: ExpressionScope, options?: EvaluateOptions): unknown {
  return compileBpmnExpression(source).evaluate(scope, options);
}
