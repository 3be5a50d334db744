import { AppError, type Issue } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { type CurrencyRule, roundScaledSql, scaledMoneySql } from "../currency/money-sql";
import { rateDaySql } from "../currency/rate-day-sql";
import { isMoneyRollup } from "../storage/columns";
import { compileFilter } from "../storage/filter-compiler";
import { currencyColumn, entityTable, quoteIdent } from "../storage/identifiers";
import { type QueryField, queryFieldSql, resolveQueryField, type SqlFragment } from "../storage/query-fields";
import type { GroupSpec, MeasureSpec, ReportRequest } from "./report-request";
import { DEFAULT_REPORT_LIMIT } from "./report-request";

/** One output column of a report: a group key (a reference also gets its title) or a measure. */
export interface ReportColumn {
  key: string;
  role: "group" | "measure";
  /** The target entity of a reference group. */
  target?: string;
  /** An owner or department group, titled with the user's or the department's name. */
  directory?: "user" | "department";
  /** A count (a JSON number), not a decimal string. */
  count?: boolean;
}

export interface CompiledReport extends SqlFragment {
  columns: ReportColumn[];
}

/** What the report may see and where: the caller's hidden fields, record scope (over "t") and search predicate. */
export interface ReportContext {
  hidden: ReadonlySet<string>;
  scope?: SqlFragment;
  search?: SqlFragment;
  /** The currency money measures are converted to, and the base currency's code. */
  currency: CurrencyRule;
  base: string;
}

const T = '"t"';
const NUMERIC = new Set(["integer", "int4", "decimal"]);
const ORDERED = new Set([...NUMERIC, "date", "datetime"]);
const GROUPABLE = new Set(["text", "enum", "integer", "int4", "decimal", "boolean", "date", "datetime", "uuid"]);
const DIRECTORY_FIELDS: Record<string, ReportColumn["directory"]> = { owner_id: "user", department_id: "department" };
const TRUNC: Record<string, string> = { day: "day", month: "month", quarter: "quarter", year: "year" };

/**
 * Compiles a report to one parameterised aggregate query over the entity's table (alias "t"): live rows, the
 * caller's scope, filter and search; GROUP BY the group keys (dates bucketed by UTC day, month, quarter or year);
 * money measures fold each row's amount converted to the report currency at its rate day, rounded by that
 * currency's rule (an average is rounded once more). Names the caller may not see are refused as unknown, every
 * problem at once.
 */
export function compileReport(entity: EntityDefinition, req: ReportRequest, ctx: ReportContext): CompiledReport {
  const issues: Issue[] = [];
  const lookup: Lookup = (name, path) => {
    const q = ctx.hidden.has(name.split(".")[0]) ? undefined : resolveQueryField(entity, name);
    if (!q) issues.push({ path, message: `unknown field "${name}"` });
    return q && { q, def: entity.fields.find((f) => f.name === name) };
  };
  const rateDate = req.rateDate ?? "created_at";
  const rateField = entity.fields.find((f) => f.name === rateDate);
  const rateOk =
    rateDate === "created_at" ||
    rateDate === "updated_at" ||
    (rateField && ["date", "datetime"].includes(rateField.type));
  if (!rateOk || ctx.hidden.has(rateDate))
    issues.push({ path: "/rateDate", message: `"${rateDate}" is not a date field` });

  const columns: ReportColumn[] = [];
  const selects: string[] = [];
  const groups: string[] = [];
  // Each money field is converted once per row, in a LATERAL subquery every measure over it reads.
  const conversions = new Map<string, string>();
  const convert = (field: string, fn: MeasureSpec["fn"]) => {
    const day = rateDaySql(entity, rateDate, T);
    const column = `${T}.${quoteIdent(field)}`;
    const currency = `${T}.${quoteIdent(currencyColumn(field))}`;
    if (!conversions.has(field)) conversions.set(field, scaledMoneySql(column, currency, day, ctx.base, ctx.currency));
    const value = roundScaledSql(`"x".${quoteIdent(field)}`, ctx.currency);
    // A mean is rounded once more by the report currency's rule (one call per group).
    const { decimals, rounding } = ctx.currency;
    return fn === "avg" ? `kehu.round_money(avg(${value}), ${decimals}, '${rounding}')` : `${fn}(${value})`;
  };
  (req.groupBy ?? []).forEach((g, i) => {
    const group = groupSql(entity, g, i, lookup, issues);
    if (!group) return;
    columns.push(group.column);
    selects.push(`${group.sql} AS ${quoteIdent(group.column.key)}`);
    groups.push(group.sql);
  });
  req.measures.forEach((m, i) => {
    const measure = measureSql(entity, m, `/measures/${i}`, lookup, issues, convert);
    if (!measure) return;
    columns.push({ key: measure.key, role: "measure", ...(m.fn === "count" && { count: true }) });
    selects.push(`${measure.sql} AS ${quoteIdent(measure.key)}`);
  });
  const keys = columns.map((c) => c.key);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i)
      issues.push({ path: "/measures", message: `two outputs are named "${k}"; name measures with "as"` });
  });
  const order = orderSql(req.sort, keys, columns, issues);
  let filter: SqlFragment = { sql: "TRUE", bindings: [] };
  try {
    filter = compileFilter(entity, req.filter ?? null, { alias: "t" });
  } catch (e) {
    issues.push(...(e as AppError).issues);
  }
  if (issues.length)
    throw new AppError(
      "validation_failed",
      `The report is not valid (${issues[0].path}: ${issues[0].message})`,
      issues,
    );

  const where = [`${T}.deleted_at IS NULL`, filter.sql, ctx.scope?.sql, ctx.search?.sql].filter(
    (s) => s && s !== "TRUE",
  );
  const sql = [
    `SELECT ${selects.join(", ")} FROM ${entityTable(entity.name)} AS ${T}${lateral(conversions)}`,
    `WHERE ${where.join(" AND ")}`,
    groups.length ? `GROUP BY ${groups.join(", ")}` : "",
    order,
    `LIMIT ${Math.trunc(req.limit ?? DEFAULT_REPORT_LIMIT)}`,
  ].filter(Boolean);
  return {
    sql: sql.join("\n"),
    bindings: [...filter.bindings, ...(ctx.scope?.bindings ?? []), ...(ctx.search?.bindings ?? [])],
    columns,
  };
}

type Lookup = (name: string, path: string) => { q: QueryField; def?: FieldDefinition } | undefined;

function groupSql(
  entity: EntityDefinition,
  g: string | GroupSpec,
  i: number,
  lookup: Lookup,
  issues: Issue[],
): { column: ReportColumn; sql: string } | undefined {
  const spec: GroupSpec = typeof g === "string" ? { field: g } : g;
  const path = typeof g === "string" ? `/groupBy/${i}` : `/groupBy/${i}/field`;
  const found = lookup(spec.field, path);
  if (!found) return undefined;
  const { q, def } = found;
  if (!GROUPABLE.has(q.kind) || def?.type === "money" || (def && isMoneyRollup(def))) {
    const hint = def?.type === "money" ? `; group by "${spec.field}.currency"` : "";
    issues.push({ path, message: `cannot group by a ${def?.type ?? q.kind} field${hint}` });
    return undefined;
  }
  let sql = queryFieldSql(entity, q, "t");
  if (spec.by) {
    if (q.kind !== "date" && q.kind !== "datetime") {
      issues.push({ path: `/groupBy/${i}/by`, message: "only dates can be grouped by day, month, quarter or year" });
      return undefined;
    }
    const day = q.kind === "datetime" ? `(${sql} AT TIME ZONE 'UTC')` : `${sql}::timestamp`;
    sql = `to_char(date_trunc('${TRUNC[spec.by]}', ${day}), 'YYYY-MM-DD')`;
  }
  const key = spec.by ? `${spec.field}_${spec.by}` : spec.field.replace(".", "_");
  const directory = spec.by ? undefined : DIRECTORY_FIELDS[spec.field];
  return {
    column: {
      key,
      role: "group",
      ...(def?.type === "reference" && { target: def.target }),
      ...(directory && { directory }),
    },
    sql,
  };
}

function measureSql(
  entity: EntityDefinition,
  m: MeasureSpec,
  path: string,
  lookup: Lookup,
  issues: Issue[],
  convert: (field: string, fn: MeasureSpec["fn"]) => string,
): { key: string; sql: string } | undefined {
  const key = m.as ?? (m.field ? `${m.fn}_${m.field.replace(".", "_")}` : m.fn);
  if (m.field === undefined) {
    if (m.fn === "count") return { key, sql: "count(*)" };
    issues.push({ path: `${path}/field`, message: `${m.fn} needs a field` });
    return undefined;
  }
  const found = lookup(m.field, `${path}/field`);
  if (!found) return undefined;
  const { q, def } = found;
  const column = queryFieldSql(entity, q, "t");
  if (m.fn === "count") return { key, sql: `count(${column})` };
  const money = def !== undefined && (def.type === "money" || isMoneyRollup(def));
  const allowed = m.fn === "min" || m.fn === "max" ? ORDERED : NUMERIC;
  if (!allowed.has(q.kind) || (q.name.endsWith(".currency") && !money)) {
    issues.push({
      path: `${path}/field`,
      message: `${m.fn} needs a number${allowed === ORDERED ? " or date" : ""} field; "${m.field}" is ${def?.type ?? q.kind}`,
    });
    return undefined;
  }
  if (!money) return { key, sql: `${m.fn}(${column})` };
  return { key, sql: convert(def.name, m.fn) };
}

function lateral(conversions: ReadonlyMap<string, string>): string {
  if (!conversions.size) return "";
  const columns = [...conversions].map(([field, sql]) => `${sql} AS ${quoteIdent(field)}`);
  return ` CROSS JOIN LATERAL (SELECT ${columns.join(", ")}) AS "x"`;
}

function orderSql(sort: string | undefined, keys: string[], columns: ReportColumn[], issues: Issue[]): string {
  const parts = sort
    ? sort
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : columns.filter((c) => c.role === "group").map((c) => c.key);
  const sql = parts.flatMap((part) => {
    const desc = part.startsWith("-");
    const key = part.replace(/^[-+]/, "");
    if (!keys.includes(key)) {
      issues.push({
        path: "/sort",
        message: `"${key}" is not a group key or measure of this report; use ${keys.join(", ")}`,
      });
      return [];
    }
    return [`${quoteIdent(key)} ${desc ? "DESC NULLS LAST" : "ASC NULLS FIRST"}`];
  });
  return sql.length ? `ORDER BY ${sql.join(", ")}` : "";
}
