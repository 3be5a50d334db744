import { AppError, type Issue, pointer } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { FILTER_OPERATORS, type FilterOperator, OPERATORS_BY_KIND } from "@kehu/schema";
import {
  type Binding,
  describe,
  parseKindValue,
  type QueryField,
  queryFieldSql,
  queryFields,
  resolveQueryField,
  type SqlFragment,
  type ValueKind,
} from "./query-fields";
import { escapeLike } from "./search-clause";

/** Limits against abusive filters. `nodes` counts logical nodes, fields and operators. */
export const FILTER_LIMITS = { depth: 16, nodes: 500, listValues: 1000, totalValues: 10_000, textLength: 10_000 };

export interface FilterOptions {
  /** Where the filter sits in the request, for issue paths; default `/filter`. */
  path?: string;
  /** Table alias to qualify columns with (for subqueries). */
  alias?: string;
}

const TRUE: SqlFragment = { sql: "TRUE", bindings: [] };
const MAX_ISSUES = 50;

/**
 * Compiles a filter AST to a parameterised SQL predicate; throws `AppError("bad_filter")` naming every problem
 * by its path (`/filter/and/1/tier/gtx`). Fields and operators come from a whitelist, values are bindings.
 *
 * Semantics: several keys in one object, and several operators on one field, are ANDed. A predicate is true or
 * false, never unknown: `ne` and `nin` include rows where the field is NULL ("not equal to gold" includes "no
 * tier"), and `not` is the exact complement of its filter. Other comparisons never match NULL. `contains` and
 * `startsWith` are case-insensitive with `%`/`_` literal. For multienum: `eq` is the same set, `contains` has the
 * value(s), `in` shares any value, `isNull` is NULL or empty. For json: isNull only (a JSON `null` counts as null).
 * `and: []` is true, `or: []` is false, `{}` is true.
 *
 * @example
 * compileFilter(customer, {and: [{tier: {eq: "gold"}}, {credit: {gte: "1000"}}]})
 * // {sql: '(("tier" = ?) AND ("credit" >= ?))', bindings: ["gold", "1000"]}
 */
export function compileFilter(entity: EntityDefinition, ast: unknown, options: FilterOptions = {}): SqlFragment {
  const compiler = new FilterCompiler(entity, options);
  const sql = compiler.compile(ast);
  const { issues } = compiler;
  if (issues.length > 0) {
    const detail = issues.length === 1 ? `${issues[0].path}: ${issues[0].message}` : `${issues.length} problems`;
    throw new AppError("bad_filter", `Invalid filter (${detail})`, issues);
  }
  return sql;
}

/** The problems of a filter without throwing (for metadata validation, e.g. a rollup's filter). */
export function filterIssues(entity: EntityDefinition, ast: unknown, options: FilterOptions = {}): Issue[] {
  const compiler = new FilterCompiler(entity, options);
  compiler.compile(ast);
  return compiler.issues;
}

class FilterCompiler {
  readonly issues: Issue[] = [];
  private nodes = 0;
  private values = 0;
  private aborted = false;

  constructor(
    private readonly entity: EntityDefinition,
    private readonly options: FilterOptions,
  ) {}

  compile(ast: unknown): SqlFragment {
    if (ast === undefined || ast === null) return TRUE;
    return this.node(ast, [], 0);
  }

  private issue(path: Array<string | number>, message: string): void {
    if (this.issues.length < MAX_ISSUES)
      this.issues.push({ path: (this.options.path ?? "/filter") + pointer(...path), message });
  }

  /** Counts a node; false (with one issue) once the filter is too large. */
  private count(path: Array<string | number>): boolean {
    if (this.aborted) return false;
    if (++this.nodes > FILTER_LIMITS.nodes) {
      this.issue(path, `filter has more than ${FILTER_LIMITS.nodes} conditions`);
      this.aborted = true;
    }
    return !this.aborted;
  }

  private node(value: unknown, path: Array<string | number>, depth: number): SqlFragment {
    if (depth > FILTER_LIMITS.depth) {
      if (!this.aborted) this.issue(path, `filter is nested deeper than ${FILTER_LIMITS.depth} levels`);
      this.aborted = true;
      return TRUE;
    }
    if (!isPlainObject(value)) {
      this.issue(path, `expected an object like {"field": {"eq": value}}, got ${describe(value)}`);
      return TRUE;
    }
    const parts: SqlFragment[] = [];
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      if (!this.count(at)) break;
      if (key === "and" || key === "or") {
        if (!Array.isArray(child)) {
          this.issue(at, `"${key}" takes an array of filters, got ${describe(child)}`);
          continue;
        }
        const children = child.map((c, i) => this.node(c, [...at, i], depth + 1));
        parts.push(join(children, key === "and" ? "AND" : "OR"));
      } else if (key === "not") {
        const inner = this.node(child, at, depth + 1);
        // coalesce makes the complement exact: rows where the inner filter is unknown (NULLs) are "not" it.
        parts.push({ sql: `(NOT coalesce(${inner.sql}, false))`, bindings: inner.bindings });
      } else parts.push(this.field(key, child, at));
    }
    return join(parts, "AND");
  }

  private field(name: string, ops: unknown, path: Array<string | number>): SqlFragment {
    const field = resolveQueryField(this.entity, name);
    if (!field) {
      const names = [...queryFields(this.entity).keys()];
      const hint = names.length <= 40 ? `; filterable fields: ${names.join(", ")}` : "";
      this.issue(path, `unknown field "${name}"${hint}`);
      return TRUE;
    }
    const allowed = OPERATORS_BY_KIND[field.kind];
    if (!isPlainObject(ops) || Object.keys(ops).length === 0) {
      this.issue(path, `expected operators for "${name}" like {"${allowed[0]}": …}; use one of ${allowed.join(", ")}`);
      return TRUE;
    }
    const parts: SqlFragment[] = [];
    for (const [op, value] of Object.entries(ops)) {
      const at = [...path, op];
      if (!this.count(at)) break;
      if (!(FILTER_OPERATORS as readonly string[]).includes(op))
        this.issue(at, `unknown operator "${op}"; use one of ${allowed.join(", ")}`);
      else if (!allowed.includes(op as FilterOperator))
        this.issue(
          at,
          `operator "${op}" does not apply to ${kindLabel(field.kind)} field "${name}"; use one of ${allowed.join(", ")}`,
        );
      else {
        const sql = this.operator(field, op as FilterOperator, value, at);
        if (sql) parts.push(sql);
      }
    }
    return join(parts, "AND");
  }

  private operator(
    f: QueryField,
    op: FilterOperator,
    value: unknown,
    path: Array<string | number>,
  ): SqlFragment | undefined {
    const col = queryFieldSql(this.entity, f, this.options.alias);
    if (op === "isNull") {
      if (typeof value !== "boolean")
        return void this.issue(path, `isNull takes true or false, got ${describe(value)}`);
      return { sql: nullTest(f, col, value), bindings: [] };
    }
    if (value === null) return void this.issue(path, `null is not a comparable value; use {"isNull": true}`);
    if (f.kind === "multienum") return this.multienum(f, col, op, value, path);
    switch (op) {
      case "in":
      case "nin": {
        const list = this.list(f, value, path);
        if (!list) return undefined;
        if (list.length === 0) return op === "in" ? { sql: "FALSE", bindings: [] } : TRUE;
        const marks = list.map(() => "?").join(", ");
        if (op === "in") return { sql: `${col} IN (${marks})`, bindings: list };
        return { sql: orNull(f, col, `${col} NOT IN (${marks})`), bindings: list };
      }
      case "between": {
        if (!Array.isArray(value) || value.length !== 2)
          return void this.issue(path, `between takes [low, high], got ${describe(value)}`);
        const lo = this.value(f, value[0], [...path, 0]);
        const hi = this.value(f, value[1], [...path, 1]);
        return lo && hi ? { sql: `${col} BETWEEN ? AND ?`, bindings: [lo.value, hi.value] } : undefined;
      }
      case "contains":
      case "startsWith": {
        const v = this.value(f, value, path);
        if (!v) return undefined;
        const pattern = `${op === "contains" ? "%" : ""}${escapeLike(String(v.value))}%`;
        return { sql: `${col} ILIKE ?`, bindings: [pattern] };
      }
      default: {
        const v = this.value(f, value, path);
        if (!v) return undefined;
        if (op === "ne") return { sql: orNull(f, col, `${col} <> ?`), bindings: [v.value] };
        return { sql: `${col} ${COMPARISON[op]} ?`, bindings: [v.value] };
      }
    }
  }

  private multienum(f: QueryField, col: string, op: FilterOperator, value: unknown, path: Array<string | number>) {
    const list = Array.isArray(value) ? this.list(f, value, path) : this.value(f, value, path) && [value as string];
    if (!list) return undefined;
    const values = [...new Set(list)];
    const array = values.length ? `ARRAY[${values.map(() => "?").join(", ")}]::text[]` : "'{}'::text[]";
    const same = { sql: `(${col} @> ${array} AND ${col} <@ ${array})`, bindings: [...values, ...values] };
    switch (op) {
      case "eq": // the same set; [] is "no values", which includes NULL
        return values.length ? same : { sql: nullTest(f, col, true), bindings: [] };
      case "ne":
        return values.length
          ? { sql: `(NOT coalesce(${same.sql}, false))`, bindings: same.bindings }
          : { sql: nullTest(f, col, false), bindings: [] };
      case "contains": // containing all of no values is true, also for NULL (which counts as empty)
        return values.length ? { sql: `${col} @> ${array}`, bindings: values } : TRUE;
      case "in":
        return { sql: `${col} && ${array}`, bindings: values };
      case "nin":
        return { sql: `(${col} IS NULL OR NOT (${col} && ${array}))`, bindings: values };
      default:
        return undefined;
    }
  }

  private list(f: QueryField, value: unknown, path: Array<string | number>): Binding[] | undefined {
    if (!Array.isArray(value)) return void this.issue(path, `expected an array of values, got ${describe(value)}`);
    if (value.length > FILTER_LIMITS.listValues)
      return void this.issue(path, `a list may hold at most ${FILTER_LIMITS.listValues} values`);
    this.values += value.length;
    if (this.values > FILTER_LIMITS.totalValues) {
      if (!this.aborted) this.issue(path, `filter has more than ${FILTER_LIMITS.totalValues} values`);
      this.aborted = true;
      return undefined;
    }
    const out: Binding[] = [];
    let good = true;
    value.forEach((v, i) => {
      const parsed = this.value(f, v, [...path, i]);
      if (parsed) out.push(parsed.value);
      else good = false;
    });
    return good ? out : undefined;
  }

  private value(f: QueryField, value: unknown, path: Array<string | number>): { value: Binding } | undefined {
    const parsed = parseKindValue(f.kind, value);
    if (!parsed.ok) return void this.issue(path, parsed.message);
    if (typeof parsed.value === "string" && parsed.value.length > FILTER_LIMITS.textLength)
      return void this.issue(path, `value is longer than ${FILTER_LIMITS.textLength} characters`);
    if (f.enumValues && !f.enumValues.has(parsed.value as string)) {
      const values = [...f.enumValues];
      const hint = values.length <= 40 ? `; use one of ${values.join(", ")}` : "";
      return void this.issue(path, `${describe(value)} is not a value of "${f.name}"${hint}`);
    }
    return { value: parsed.value };
  }
}

const COMPARISON: Partial<Record<FilterOperator, string>> = { eq: "=", lt: "<", lte: "<=", gt: ">", gte: ">=" };

function nullTest(f: QueryField, col: string, isNull: boolean): string {
  if (f.kind === "multienum") return isNull ? `(${col} IS NULL OR cardinality(${col}) = 0)` : `cardinality(${col}) > 0`;
  if (f.kind === "json") return isNull ? `(${col} IS NULL OR ${col} = 'null'::jsonb)` : `${col} <> 'null'::jsonb`;
  return isNull ? `${col} IS NULL` : `${col} IS NOT NULL`;
}

/** `ne` and `nin` include NULL rows, unless the column cannot be NULL. */
function orNull(f: QueryField, col: string, test: string): string {
  return f.nullable ? `(${test} OR ${col} IS NULL)` : test;
}

function join(parts: SqlFragment[], op: "AND" | "OR"): SqlFragment {
  if (parts.length === 0) return op === "AND" ? TRUE : { sql: "FALSE", bindings: [] };
  if (parts.length === 1) return parts[0];
  return { sql: `(${parts.map((p) => p.sql).join(` ${op} `)})`, bindings: parts.flatMap((p) => p.bindings) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kindLabel(kind: ValueKind): string {
  return kind === "int4" ? "integer" : kind === "uuid" ? "reference/uuid" : kind;
}
