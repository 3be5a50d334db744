import { createHash } from "node:crypto";
import { AppError } from "@kehu/core";
import { canonicalJson } from "./canonical-json";
import { type Binding, parseKindValue, type SqlFragment } from "./query-fields";
import type { SortKey, SortSpec } from "./sort-spec";

/** Longest cursor accepted (it carries the sort values of one row, which may include long text). */
export const MAX_CURSOR_LENGTH = 64 * 1024;

/**
 * A short hash of everything that shapes a result order (sort, filter, search), so a cursor is refused when reused
 * with another query instead of silently skipping or repeating rows. Object keys are sorted first, so
 * `{"a":1,"b":2}` and `{"b":2,"a":1}` agree. Not a secret: a cursor is opaque, not tamper-proof, and its values
 * are re-validated when decoded.
 */
export function queryFingerprint(query: unknown): string {
  return createHash("sha256").update(canonicalJson(query)).digest("base64url").slice(0, 16);
}

/** The opaque (base64url JSON) cursor that resumes after `row`: the row's sort values and the query fingerprint. */
export function encodeCursor(spec: SortSpec, row: Record<string, unknown>, fingerprint: string): string {
  const values = spec.keys.map((k) => {
    const v = row[k.rowKey];
    return v instanceof Date ? v.toISOString() : (v ?? null);
  });
  return Buffer.from(JSON.stringify({ f: fingerprint, k: values })).toString("base64url");
}

/** The sort values a cursor carries, checked against the spec; anything wrong is a `bad_request` at `/cursor`. */
export function decodeCursor(cursor: unknown, spec: SortSpec, fingerprint: string): Binding[] {
  if (typeof cursor !== "string" || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw cursorError("malformed cursor");
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw cursorError("malformed cursor");
  }
  const { f, k } = (payload ?? {}) as { f?: unknown; k?: unknown };
  if (typeof f !== "string" || !Array.isArray(k)) throw cursorError("malformed cursor");
  if (f !== fingerprint || k.length !== spec.keys.length)
    throw cursorError(
      "cursor belongs to a different query (the sort, filter or search changed); start without a cursor",
    );
  return spec.keys.map((key, i) => checkValue(key, k[i]));
}

function checkValue(key: SortKey, value: unknown): Binding {
  if (value === null) {
    if (key.nullable) return null;
    throw cursorError("malformed cursor");
  }
  if (key.kind === "rank") {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    throw cursorError("malformed cursor");
  }
  const parsed = parseKindValue(key.kind, value);
  if (!parsed.ok) throw cursorError("malformed cursor");
  return parsed.value;
}

/** Rows of one segment of "after the cursor": a predicate, and the keys that still vary within it, to order by. */
export interface CursorSegment {
  where: SqlFragment;
  order: SortKey[];
}

/**
 * "Sorts strictly after the row with these values" (the spec ends with the unique id), as ordered segments: every
 * row of a segment sorts before every row of the next, so a caller reads them in turn until its page is full.
 * NULL sorts as the largest value (ASC NULLS LAST, DESC NULLS FIRST). Each segment fixes a prefix of keys and is a
 * plain range on the next one, and orders only by the keys that still vary, so a composite index serves it even
 * for NULLs and mixed directions. For `-tier,amount` after (gold, 2.5, X):
 * `tier = gold AND (amount, id) > (2.5, X)`, then `tier = gold AND amount IS NULL` (by id), then `tier < gold`.
 * Trailing keys that are NOT NULL and share a direction collapse into one row comparison, so a plain `created_at`
 * sort has the single segment `(created_at, id) > (?, ?)`.
 */
export function afterCursor(spec: SortSpec, values: readonly Binding[]): CursorSegment[] {
  const { keys } = spec;
  const segments: CursorSegment[] = [];
  const push = (prefix: SqlFragment[], last: SqlFragment, from: number) =>
    segments.push({ where: and([...prefix, last]), order: keys.slice(from) });
  const after = (i: number, prefix: SqlFragment[]): void => {
    const key = keys[i];
    const value = values[i];
    const rest = keys.slice(i + 1);
    if (value !== null && rest.length > 0 && rest.every((k) => !k.nullable && k.desc === key.desc)) {
      push(prefix, rowComparison(keys.slice(i), values.slice(i)), i);
    } else {
      if (rest.length > 0) after(i + 1, [...prefix, equalTo(key, value)]);
      if (value !== null) push(prefix, compare(key, key.desc ? "<" : ">", value), i);
    }
    // NULLs come after every value ascending, and before them descending.
    if (value !== null && !key.desc && key.nullable) push(prefix, isNull(key), i + 1);
    if (value === null && key.desc) push(prefix, { sql: `${key.sql} IS NOT NULL`, bindings: key.bindings }, i);
  };
  after(0, []);
  return segments;
}

/** `(a, b, id) > (?, ?, ?)`: false for a NULL `a`, which callers keep in its own segment. */
function rowComparison(keys: readonly SortKey[], values: readonly Binding[]): SqlFragment {
  if (keys.length === 1) return compare(keys[0], keys[0].desc ? "<" : ">", values[0]);
  return {
    sql: `(${keys.map((k) => k.sql).join(", ")}) ${keys[0].desc ? "<" : ">"} (${keys.map(() => "?").join(", ")})`,
    bindings: [...keys.flatMap((k) => k.bindings), ...values],
  };
}

function compare(key: SortKey, op: string, value: Binding): SqlFragment {
  return { sql: `${key.sql} ${op} ?`, bindings: [...key.bindings, value] };
}

function isNull(key: SortKey): SqlFragment {
  return { sql: `${key.sql} IS NULL`, bindings: key.bindings };
}

function equalTo(key: SortKey, value: Binding): SqlFragment {
  return value === null ? isNull(key) : compare(key, "=", value);
}

function and(parts: SqlFragment[]): SqlFragment {
  if (parts.length === 1) return parts[0];
  return { sql: `(${parts.map((p) => p.sql).join(" AND ")})`, bindings: parts.flatMap((p) => p.bindings) };
}

function cursorError(message: string): AppError {
  return new AppError("bad_request", message, [{ path: "/cursor", message }]);
}
