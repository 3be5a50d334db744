import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { rateDaySql } from "../currency/rate-day-sql";
import { isMoneyRollup } from "../storage/columns";
import { compileFilter } from "../storage/filter-compiler";
import { currencyColumn, entityTable, quoteIdent } from "../storage/identifiers";
import type { Binding } from "../storage/query-fields";
import { formulaSql } from "./formula-sql";
import { routineName } from "./routine-names";
import { sqlTextLiteral } from "./sql-text-literal";

/** The triggers that keep one rollup column up to date, on the child's table. */
export interface RollupRoutine {
  /** The function's name, in schema kehu. */
  name: string;
  /** The trigger names (one per event: a trigger with transition tables takes a single event). */
  triggers: string[];
  childTable: string;
  /** Statements creating (or replacing) the function and the triggers. */
  create: string[];
  /** Recomputes the column of every parent row. */
  backfill: string;
}

/** Whether a rollup is kept by deltas (count, sum) rather than by recomputing the parent's value. */
const incremental = (fn: string | undefined) => fn === "count" || fn === "sum";

const EVENTS = [
  { suffix: "i", event: "INSERT", tables: "NEW TABLE AS new_rows" },
  { suffix: "u", event: "UPDATE", tables: "OLD TABLE AS old_rows NEW TABLE AS new_rows" },
  { suffix: "d", event: "DELETE", tables: "OLD TABLE AS old_rows" },
];

/**
 * The SQL of a rollup (`collected = sum(payment.amount) where status = confirmed`): statement triggers on the
 * child table that see the changed rows as transition tables, so a bulk insert of 10,000 rows costs one
 * grouped UPDATE of the affected parents, not 10,000. Count and sum add each parent's net change of
 * contributions (`col = col + d`, nothing when it is 0); min, max and avg lock the affected parents, then
 * recompute them from the child index. Inserts, updates (also soft delete, restore and re-parenting),
 * deletes, upserts and any other write path pass through the triggers. Empty sets give 0 for count and sum,
 * NULL otherwise. The filter's values are inlined as escaped literals (the body is a function).
 *
 * A rollup over money (`rateDate` set) folds each child's amount converted to the base currency at the rate in
 * force on its `rateDate` (see `rateDaySql`), each conversion rounded by
 * the base currency's rule, and keeps the base currency's code in the parent's `<field>__currency` column.
 */
export function rollupRoutine(
  parent: EntityDefinition,
  field: FieldDefinition,
  child: EntityDefinition,
): RollupRoutine {
  const name = routineName("rollup", parent.name, field.name);
  const fn = `kehu.${quoteIdent(name)}`;
  const via = quoteIdent(field.via as string);
  const col = quoteIdent(field.name);
  const parentTable = entityTable(parent.name);
  const childTable = entityTable(child.name);
  const counts = (row: string) => `${row}.deleted_at IS NULL AND ${inlineFilter(child, field.filter, row)}`;
  const value = (row: string) => foldedValue(field, child, row);
  const aggregated = `(SELECT ${aggregate(field, value('"c"'))} FROM ${childTable} AS "c" WHERE "c".${via} = "p".id AND ${counts('"c"')})`;
  const set = setClause(field, col, aggregated);
  const sql = incremental(field.function)
    ? deltaSql(field, parentTable, col, via, counts, value)
    : recomputeSql(parentTable, via, set, `${col} IS DISTINCT FROM ${aggregated}`);
  const money = isMoneyRollup(field);
  // A statement trigger fires even for a statement that changed no row: without the EXISTS guards a rollup over the
  // entity's own records (a company's units) would fire itself through its own empty UPDATE without end.
  const body = `BEGIN
  IF TG_OP = 'INSERT' THEN IF EXISTS (SELECT FROM new_rows) THEN ${sql.insert} END IF;
  ELSIF TG_OP = 'DELETE' THEN IF EXISTS (SELECT FROM old_rows) THEN ${sql.delete} END IF;
  ELSIF EXISTS (SELECT FROM new_rows) THEN ${sql.update}
  END IF;
  RETURN NULL;
END`;
  const triggers = EVENTS.map((e) => ({ ...e, name: `${name.slice(0, 60)}__${e.suffix}` }));
  return {
    name,
    triggers: triggers.map((t) => t.name),
    childTable,
    create: [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $kehu$\n${body}\n$kehu$`,
      ...triggers.flatMap((t) => [
        `DROP TRIGGER IF EXISTS ${quoteIdent(t.name)} ON ${childTable}`,
        `CREATE TRIGGER ${quoteIdent(t.name)} AFTER ${t.event} ON ${childTable} REFERENCING ${t.tables} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      ]),
      ...(incremental(field.function) ? [`ALTER TABLE ${parentTable} ALTER COLUMN ${col} SET DEFAULT 0`] : []),
      ...(incremental(field.function) && money
        ? [
            `ALTER TABLE ${parentTable} ALTER COLUMN ${quoteIdent(currencyColumn(field.name))} SET DEFAULT kehu.base_currency()`,
          ]
        : []),
    ],
    backfill: `UPDATE ${parentTable} AS "p" SET ${set}`,
  };
}

/**
 * The SQL of one child's contribution: its field, a row formula over it, or a money amount converted to the base
 * currency.
 */
function foldedValue(field: FieldDefinition, child: EntityDefinition, row: string): string {
  if (field.field === undefined) return "1"; // count
  const folded = child.fields.find((f) => f.name === field.field);
  if (folded?.type === "formula") return formulaSql(child, folded)(row);
  const column = `${row}.${quoteIdent(field.field as string)}`;
  if (!isMoneyRollup(field)) return column;
  const day = rateDaySql(child, field.rateDate as string, row);
  return `kehu.to_base(${column}, ${row}.${quoteIdent(currencyColumn(field.field as string))}, ${day})`;
}

/** `col = <aggregate>`, and for money the currency column: the base currency, or NULL with no value. */
function setClause(field: FieldDefinition, col: string, aggregated: string): string {
  if (!isMoneyRollup(field)) return `${col} = ${aggregated}`;
  const cur = quoteIdent(currencyColumn(field.name));
  return `(${col}, ${cur}) = (SELECT "v", CASE WHEN "v" IS NULL THEN NULL ELSE kehu.base_currency() END FROM (SELECT ${aggregated} AS "v") AS "a")`;
}

function aggregate(field: FieldDefinition, value: string): string {
  if (field.function === "count") return "count(*)";
  // Converting from the base currency to itself needs no rate: it rounds the mean by the base currency's rule.
  if (field.function === "avg" && isMoneyRollup(field))
    return `kehu.to_base(avg(${value}), kehu.base_currency(), NULL)`;
  if (field.function === "sum") return `coalesce(sum(${value}), 0)`;
  return `${field.function}(${value})`;
}

interface EventSql {
  insert: string;
  update: string;
  delete: string;
}

function deltaSql(
  field: FieldDefinition,
  parentTable: string,
  col: string,
  via: string,
  counts: (row: string) => string,
  folded: (row: string) => string,
): EventSql {
  const value = field.function === "count" ? "1" : `coalesce(${folded('"r"')}, 0)`;
  const currency = isMoneyRollup(field) ? `, ${quoteIdent(currencyColumn(field.name))} = kehu.base_currency()` : "";
  const from = (table: string, sign: string) =>
    `SELECT "r".${via} AS id, ${sign}${value} AS d FROM ${table} AS "r" WHERE "r".${via} IS NOT NULL AND ${counts('"r"')}`;
  const apply = (changes: string) =>
    `UPDATE ${parentTable} AS "p" SET ${col} = coalesce("p".${col}, 0) + "x".d${currency}
      FROM (SELECT id, sum(d) AS d FROM (${changes}) AS "y" GROUP BY id) AS "x" WHERE "p".id = "x".id AND "x".d <> 0;`;
  return {
    insert: apply(from("new_rows", "")),
    delete: apply(from("old_rows", "-")),
    update: apply(`${from("new_rows", "")} UNION ALL ${from("old_rows", "-")}`),
  };
}

/** Recomputes the affected parents, writing only those whose value changes (so a cycle of parents comes to rest). */
function recomputeSql(parentTable: string, via: string, set: string, differs: string): EventSql {
  const refresh = (ids: string) => `PERFORM 1 FROM ${parentTable} WHERE id IN (${ids}) ORDER BY id FOR UPDATE;
    UPDATE ${parentTable} AS "p" SET ${set} WHERE "p".id IN (${ids}) AND ${differs};`;
  const ids = (table: string) => `SELECT ${via} FROM ${table}`;
  return {
    insert: refresh(ids("new_rows")),
    delete: refresh(ids("old_rows")),
    update: refresh(`${ids("new_rows")} UNION ${ids("old_rows")}`),
  };
}

/** The rollup's filter over `row` with its values inlined as literals; TRUE without a filter. */
function inlineFilter(child: EntityDefinition, filter: unknown, row: string): string {
  const alias = row.replaceAll('"', "");
  const { sql, bindings } = compileFilter(child, filter ?? null, { alias, path: "/filter" });
  let i = 0;
  return `(${sql.replace(/\?/g, () => literal(bindings[i++]))})`;
}

function literal(value: Binding | undefined): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return sqlTextLiteral(String(value)).replace(/::text$/, "");
}
