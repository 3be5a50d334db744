import type { Issue, Problem } from "@kehu/core";

/**
 * An API answer with a 4xx/5xx status, carrying its RFC 9457 problem.
 *
 * @example
 * try { await kehu.data("customer").create({}) } catch (e) { if (e instanceof KehuApiError) console.log(e.issues) }
 */
export class KehuApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "KehuApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** Every bad input the server named (path + message). */
  get issues(): Issue[] {
    return this.problem.errors ?? [];
  }
}
