import { AppError, type ErrorCode } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { searchableFields } from "../storage/columns";
import { quoteIdent } from "../storage/identifiers";
import { resolveQueryField, type SqlFragment } from "../storage/query-fields";
import { escapeLike } from "../storage/search-clause";

/** What a list or read names: each must be a field the caller may see. */
export interface QueryNames {
  filter?: unknown;
  sort?: string;
  fields?: ReadonlySet<string>;
  expand?: readonly { name: string }[];
}

const LOGICAL = new Set(["and", "or", "not"]);

/**
 * Refuses a query that names a hidden field in its filter, sort, fields or expand, exactly as if the field did not
 * exist (400, the list of known names leaves hidden ones out), so a response never confirms a hidden field.
 */
export function assertVisibleNames(entity: EntityDefinition, hidden: ReadonlySet<string>, names: QueryNames): void {
  if (!hidden.size) return;
  const isHidden = (name: string) => hidden.has(name.split(".")[0]);
  const visible = () =>
    entity.fields
      .filter((f) => !hidden.has(f.name))
      .map((f) => f.name)
      .join(", ");
  const refuse = (code: ErrorCode, path: string, name: string): never => {
    throw new AppError(code, `unknown field "${name}"; fields you may use: ${visible()}`, [
      { path, message: `unknown field "${name}"` },
    ]);
  };
  for (const { name, path } of filterNames(names.filter, "/filter"))
    if (isHidden(name) || !resolveQueryField(entity, name)) refuse("bad_filter", path, name);
  for (const key of (names.sort ?? "").split(",")) {
    const name = key.trim().replace(/^[-+]/, "");
    if (name && isHidden(name)) refuse("bad_request", "/sort", name);
  }
  for (const name of names.fields ?? []) if (isHidden(name)) refuse("unknown_field", "/fields", name);
  for (const { name } of names.expand ?? []) if (isHidden(name)) refuse("unknown_field", "/expand", name);
}

/** Every field name a filter AST mentions, with the JSON pointer where it stands. */
export function filterNames(ast: unknown, path: string, depth = 0): Array<{ name: string; path: string }> {
  if (depth > 64 || typeof ast !== "object" || ast === null) return [];
  if (Array.isArray(ast)) return ast.flatMap((child, i) => filterNames(child, `${path}/${i}`, depth + 1));
  return Object.entries(ast).flatMap(([key, child]) =>
    LOGICAL.has(key) ? filterNames(child, `${path}/${key}`, depth + 1) : [{ name: key, path: `${path}/${key}` }],
  );
}

/**
 * A search over the visible searchable fields only, for a caller some of whose searchable fields are hidden (the
 * `_search` column would match their text too). Undefined when nothing searchable is hidden: use the normal search.
 */
export function visibleSearch(
  entity: EntityDefinition,
  hidden: ReadonlySet<string>,
  search: string | undefined,
): SqlFragment | undefined {
  const searchable = searchableFields(entity.fields);
  if (search === undefined || !searchable.some((f) => hidden.has(f.name))) return undefined;
  const q = search.trim();
  if (q === "") return undefined;
  const columns = searchable.filter((f) => !hidden.has(f.name)).map((f) => quoteIdent(f.name));
  if (!columns.length) return { sql: "FALSE", bindings: [] };
  const pattern = `%${escapeLike(q)}%`;
  return {
    sql: `(${columns.map((c) => `lower(${c}) LIKE lower(?)`).join(" OR ")})`,
    bindings: columns.map(() => pattern),
  };
}
