import { Readable } from "node:stream";
import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { Knex } from "knex";
import type { EngineContext } from "../../engine-context";
import { parseListParams } from "../../records/list-params";
import { parseFields } from "../../records/read-options";
import { assertVisibleNames, visibleSearch } from "../../security/field-access";
import { loadAccess } from "../../security/load-access";
import { buildSearch } from "../../storage/search-clause";
import { csvChunks } from "../../transfer/csv-write";
import { exportColumns } from "../../transfer/export-columns";
import { exportRows } from "../../transfer/export-rows";
import type { HeaderStyle } from "../../transfer/header-names";
import { XLSX_TYPE } from "../../transfer/sheet-source";
import { xlsxChunks } from "../../transfer/xlsx-write";
import type { AppEnv } from "../app-env";

const OWN = ["format", "header", "references"];

/**
 * `GET /api/data/:entity/export?format=csv|xlsx`: every record the list parameters (`filter`, `search`, `sort`,
 * `fields`) match within the caller's read scope, streamed page by page; hidden fields never leave.
 */
export function exportRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/:entity/export", async (c) => {
    const entity = ctx.registry.require(c.req.param("entity"));
    const query = c.req.query();
    const own = Object.fromEntries(OWN.flatMap((k) => (query[k] === undefined ? [] : [[k, query[k]]])));
    const listQuery = Object.fromEntries(Object.entries(query).filter(([k]) => !OWN.includes(k)));
    for (const k of ["limit", "cursor", "expand"])
      if (k in listQuery)
        throw new AppError("bad_request", `${k} does not apply to an export, which has every matching row`, [
          { path: `/${k}`, message: "not for export" },
        ]);
    const format = choice(own.format ?? "csv", "format", ["csv", "xlsx"]);
    const style = choice(own.header ?? "en", "header", ["name", "en", "zh"]) as HeaderStyle;
    const references = choice(own.references ?? "title", "references", ["title", "id"]) as "title" | "id";
    const access = await loadAccess(ctx, c.get("principal"));
    access.require(entity.name, "read");
    const params = parseListParams(listQuery);
    const only = parseFields(entity, listQuery.fields);
    const hidden = access.hidden(entity.name);
    assertVisibleNames(entity, hidden, { filter: params.filter, sort: params.sort, fields: only });
    buildSearch(params.search, params.searchMode ?? "contains");
    const search = visibleSearch(entity, hidden, params.search);
    const scope = access.where(entity, "read");
    const where = (qb: Knex.QueryBuilder) => {
      if (scope) qb.where(scope);
      if (search) qb.whereRaw(search.sql, search.bindings);
    };
    const columns = exportColumns(entity, hidden, only, style);
    const rows = await exportRows({
      knex: ctx.db.knex,
      registry: ctx.registry,
      access,
      entity,
      params: search ? { ...params, search: undefined, searchMode: undefined, where } : { ...params, where },
      columns,
      style,
      references,
      typed: format === "xlsx",
    });
    const header = columns.map((col) => col.header);
    const stream = format === "csv" ? Readable.from(csvChunks(header, rows)) : xlsxChunks(entity.name, header, rows);
    c.header("content-type", format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE);
    c.header("content-disposition", `attachment; filename="${entity.name}.${format}"`);
    return c.body(Readable.toWeb(stream) as ReadableStream);
  });
  return routes;
}

function choice(value: string, name: string, allowed: string[]): string {
  if (!allowed.includes(value))
    throw new AppError("bad_request", `${name} must be one of: ${allowed.join(", ")}`, [
      { path: `/${name}`, message: `must be ${allowed.join(" or ")}` },
    ]);
  return value;
}
