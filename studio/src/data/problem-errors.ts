import type { Issue } from "@kehu/core";
import type { ErrorSchema } from "@rjsf/utils";

/**
 * The server's issues (`errors[].path`, JSON pointers into the body) as rjsf errors on their fields; issues on
 * the whole body or on fields the form does not show are returned apart, for a banner.
 *
 * @example
 * issuesToErrorSchema([{path: "/email", message: "must be an email"}], ["email"])
 * // {errorSchema: {email: {__errors: ["must be an email"]}}, unplaced: []}
 */
export function issuesToErrorSchema(
  issues: Issue[],
  fieldNames: string[],
): { errorSchema: ErrorSchema; unplaced: Issue[] } {
  const errorSchema: Record<string, unknown> = {};
  const unplaced: Issue[] = [];
  for (const issue of issues) {
    const segments = issue.path
      .split("/")
      .slice(1)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (!segments.length || !fieldNames.includes(segments[0])) {
      unplaced.push(issue);
      continue;
    }
    let node = errorSchema;
    for (const segment of segments) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
    node.__errors = [...((node.__errors as string[] | undefined) ?? []), issue.message];
  }
  return { errorSchema: errorSchema as ErrorSchema, unplaced };
}
