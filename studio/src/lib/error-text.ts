import { KehuApiError } from "@kehu/client";
import type { Issue } from "@kehu/core";

/** What the studio shows of a failure: a title, a sentence and the named problems; never a stack trace. */
export interface ErrorView {
  title: string;
  detail?: string;
  issues: Issue[];
  status?: number;
  /** The problem's code from its type URI (`validation-failed`), to translate the title by. */
  code?: string;
}

/** Turns anything thrown into readable text; `fallback` is the translated "something went wrong". */
export function errorView(error: unknown, fallback: string): ErrorView {
  if (error instanceof KehuApiError)
    return {
      title: error.problem.title,
      detail: error.problem.detail,
      issues: error.issues,
      status: error.status,
      code: /\/problems\/([a-z0-9-]+)$/.exec(error.problem.type)?.[1],
    };
  // Network failures and bugs: the message only, first line, no stack.
  const message = error instanceof Error ? error.message.split("\n")[0] : undefined;
  return { title: fallback, detail: message || undefined, issues: [] };
}
