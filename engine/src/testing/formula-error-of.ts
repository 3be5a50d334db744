import { FormulaError } from "../computed/formula-ast";

/** The FormulaError `run` throws; fails the test when it throws nothing or something else. */
export function formulaErrorOf(run: () => unknown): FormulaError {
  try {
    run();
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error("expected a FormulaError");
}
