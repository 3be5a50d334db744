import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { baseCurrency } from "../currency/currencies";
import type { CurrencyRule } from "../currency/money-sql";
import type { MetadataRegistry } from "../metadata/registry";
import type { Access } from "../security/access";
import { assertVisibleNames, visibleSearch } from "../security/field-access";
import { entityTableRef } from "../storage/identifiers";
import { buildSearch } from "../storage/search-clause";
import type { ReportRequest } from "./report-request";
import { compileReport, type ReportColumn } from "./report-sql";

export interface ReportResult {
  rows: Array<Record<string, unknown>>;
  /** The currency of every money measure. */
  currency: string;
  /** The compiled SQL and its bindings, for administrators who asked. */
  sql?: string;
  bindings?: unknown[];
}

/**
 * Runs a report as `access`'s principal: read permission on the entity, its record scope, and its hidden fields
 * (which may not be grouped, measured, filtered or searched). A reference group comes back as `{id, title}`, the
 * title only when the caller may read that record and its title field.
 */
export async function runReport(
  knex: Knex,
  registry: MetadataRegistry,
  access: Access,
  req: ReportRequest,
  opts: { explain?: boolean } = {},
): Promise<ReportResult> {
  const entity = registry.require(req.entity);
  access.require(entity.name, "read");
  const hidden = access.hidden(entity.name);
  assertVisibleNames(entity, hidden, { filter: req.filter });
  const base = await baseCurrency(knex);
  const currency = await reportCurrency(knex, req.currency ?? "base", base);
  // Without access to some searchable fields, search only the visible ones (the search column holds them all).
  const search = visibleSearch(entity, hidden, req.search) ?? buildSearch(req.search, "contains", "t")?.where;
  const compiled = compileReport(entity, req, {
    hidden,
    scope: access.predicate(entity, "read", '"t"'),
    search,
    currency,
    base,
  });
  const { rows } = await knex.raw(compiled.sql, compiled.bindings as never[]);
  const shaped = (rows as Array<Record<string, unknown>>).map((row) => shape(row, compiled.columns));
  for (const column of compiled.columns) {
    if (column.target) await addTitles(knex, registry, access, shaped, column);
    if (column.directory) await addDirectoryTitles(knex, shaped, column);
  }
  return {
    rows: shaped,
    currency: currency.code,
    ...(opts.explain && { sql: compiled.sql, bindings: compiled.bindings }),
  };
}

/** The rule of the currency a report converts money to: `base` or an ISO code; an unknown code is a 400. */
export async function reportCurrency(knex: Knex, requested: string, base: string): Promise<CurrencyRule> {
  const code = requested === "base" ? base : requested;
  const row = await knex("kehu.currencies").where({ code }).first("code", "decimals", "rounding");
  if (!row)
    throw new AppError("validation_failed", `No currency ${requested}`, [
      { path: "/currency", message: "unknown currency" },
    ]);
  return { code, decimals: Number(row.decimals), rounding: row.rounding };
}

function shape(row: Record<string, unknown>, columns: ReportColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.key];
    out[c.key] = c.count ? Number(v) : (c.target || c.directory) && v !== null ? { id: v, title: null } : (v ?? null);
  }
  return out;
}

async function addTitles(
  knex: Knex,
  registry: MetadataRegistry,
  access: Access,
  rows: Array<Record<string, unknown>>,
  column: ReportColumn,
): Promise<void> {
  const target = registry.get(column.target as string);
  const title = target?.titleField;
  if (!target || !title || access.scopeOf(target.name, "read") === undefined || access.hidden(target.name).has(title))
    return;
  const refs = rows.map((r) => r[column.key] as { id: string; title: unknown } | null).filter((r) => r !== null);
  if (!refs.length) return;
  const q = knex(entityTableRef(target.name)).whereIn("id", [...new Set(refs.map((r) => r.id))]);
  const scope = access.where(target, "read");
  if (scope) q.where(scope);
  const found = new Map((await q.select("id", title)).map((r: Record<string, unknown>) => [r.id, r[title]]));
  for (const ref of refs) ref.title = found.get(ref.id) ?? null;
}

/** Names the owners (users' display names) or departments of a group: colleagues' names are not secret. */
async function addDirectoryTitles(knex: Knex, rows: Array<Record<string, unknown>>, column: ReportColumn) {
  const refs = rows.map((r) => r[column.key] as { id: string; title: unknown } | null).filter((r) => r !== null);
  if (!refs.length) return;
  const [table, title] = column.directory === "user" ? ["kehu.users", "display_name"] : ["kehu.departments", "name"];
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = new Map((await knex(table).whereIn("id", ids).select("id", title)).map((r) => [r.id, r[title]]));
  for (const ref of refs) ref.title = found.get(ref.id) ?? null;
}
