import { AppError } from "@kehu/core";
import { quoteIdent, SEARCH_COLUMN } from "./identifiers";
import type { SqlFragment } from "./query-fields";

export type SearchMode = "contains" | "fuzzy";

/** Longest search query accepted; longer ones are a 400 (trigram work grows with the query). */
export const MAX_SEARCH_LENGTH = 200;

/** What a search adds to a list query: a WHERE predicate and the rank expression to order by. */
export interface SearchClause {
  query: string;
  mode: SearchMode;
  where: SqlFragment;
  /** Higher is better; `similarity` for contains, `word_similarity` for fuzzy. Never NULL. */
  rank: SqlFragment;
}

/** Escapes `\`, `%` and `_` so they match themselves in a LIKE pattern (backslash is the default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Builds the search predicate over the generated `_search` column (lower-cased searchable text, trigram-indexed).
 * `contains` (default): `_search` contains the query, case-insensitive, `%`/`_` literal; works for one CJK character,
 * since LIKE compares characters, not trigrams. `fuzzy`: also matches when `lower(q) <% _search` (pg_trgm word
 * similarity above `pg_trgm.word_similarity_threshold`, 0.6), so a typo still finds the word. Both forms are
 * served by the GIN trigram index. Leading and trailing blanks are trimmed; an empty query means no search.
 *
 * @example
 * buildSearch("50%", "contains") // where: _search LIKE '%' || lower('50\%') || '%'
 */
export function buildSearch(query: unknown, mode: unknown = "contains", alias?: string): SearchClause | undefined {
  if (mode !== "contains" && mode !== "fuzzy")
    throw new AppError("bad_request", `searchMode must be "contains" or "fuzzy"`, [
      { path: "/searchMode", message: `expected "contains" or "fuzzy", got ${JSON.stringify(mode)}` },
    ]);
  if (query === undefined || query === null) return undefined;
  if (typeof query !== "string") throw searchError("search must be a string");
  const q = query.trim();
  if (q === "") return undefined;
  if ([...q].length > MAX_SEARCH_LENGTH) throw searchError(`search is longer than ${MAX_SEARCH_LENGTH} characters`);
  if (q.includes("\u0000")) throw searchError("search may not contain the NUL character");

  const col = alias ? `${quoteIdent(alias)}.${quoteIdent(SEARCH_COLUMN)}` : quoteIdent(SEARCH_COLUMN);
  // lower() runs in the database, like the generated column's, so both sides fold case the same way.
  const contains: SqlFragment = { sql: `${col} LIKE ('%' || lower(?) || '%')`, bindings: [escapeLike(q)] };
  if (mode === "contains")
    return { query: q, mode, where: contains, rank: { sql: `similarity(${col}, lower(?))`, bindings: [q] } };
  return {
    query: q,
    mode,
    where: { sql: `(lower(?) <% ${col} OR ${contains.sql})`, bindings: [q, ...contains.bindings] },
    rank: { sql: `word_similarity(lower(?), ${col})`, bindings: [q] },
  };
}

function searchError(message: string): AppError {
  return new AppError("bad_request", message, [{ path: "/search", message }]);
}
