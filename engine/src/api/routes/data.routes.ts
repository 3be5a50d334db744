import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Knex } from "knex";
import type { EngineContext } from "../../engine-context";
import { bulkUpsert } from "../../records/bulk-upsert";
import { expandReferences } from "../../records/expand-references";
import { parseListParams } from "../../records/list-params";
import { parseExpand, parseFields } from "../../records/read-options";
import { rowToRecord } from "../../records/record-codec";
import { RecordStore } from "../../records/record-store";
import { etagOf, expectedVersion } from "../../records/record-version";
import { referrersOf } from "../../records/referrers";
import type { Access } from "../../security/access";
import { assertVisibleNames, visibleSearch } from "../../security/field-access";
import { loadAccess } from "../../security/load-access";
import { assertRecordAccess } from "../../security/record-access";
import { bulkSecurityOf, expandAccessOf, recordHooksOf } from "../../security/record-hooks";
import { listRecords } from "../../storage/list-query";
import { buildSearch } from "../../storage/search-clause";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/data/:entity`: records of any entity, shaped and validated by its metadata. */
export function dataRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const entityOf = (c: Context<AppEnv>) => ctx.registry.require(c.req.param("entity")!);
  const accessOf = (c: Context<AppEnv>) => loadAccess(ctx, c.get("principal"));
  const storeOf = (c: Context<AppEnv>, access: Access) => {
    const entity = entityOf(c);
    const referrers = referrersOf(ctx.registry.list(), entity.name);
    return new RecordStore(ctx.db.knex, entity, referrers, recordHooksOf(access, entity));
  };
  const ifMatch = (c: Context<AppEnv>) => expectedVersion(c.req.header("if-match"));

  routes.get("/:entity", async (c) => {
    const entity = entityOf(c);
    const access = await accessOf(c);
    access.require(entity.name, "read");
    const params = parseListParams(c.req.query());
    const only = parseFields(entity, c.req.query("fields"));
    const expand = parseExpand(entity, c.req.query("expand"));
    const hidden = access.hidden(entity.name);
    assertVisibleNames(entity, hidden, { filter: params.filter, sort: params.sort, fields: only, expand });
    buildSearch(params.search, params.searchMode ?? "contains");
    const search = visibleSearch(entity, hidden, params.search);
    const scope = access.where(entity, "read");
    const where =
      search || scope
        ? (qb: Knex.QueryBuilder) => {
            if (scope) qb.where(scope);
            if (search) qb.whereRaw(search.sql, search.bindings);
          }
        : undefined;
    const query = search ? { ...params, search: undefined, searchMode: undefined, where } : { ...params, where };
    const { rows, nextCursor } = await listRecords(ctx.db.knex, entity, query);
    const data = rows.map((row) => access.strip(entity.name, rowToRecord(entity, row, only)));
    await expandReferences(
      ctx.db.knex,
      ctx.registry,
      data,
      expand.filter((f) => !only || only.has(f.name)),
      expandAccessOf(access),
    );
    return c.json({ data, nextCursor });
  });

  routes.post("/:entity", async (c) => {
    const access = await accessOf(c);
    access.require(c.req.param("entity"), "create");
    const body = await readJsonBody(c);
    access.assertWritable(c.req.param("entity"), body);
    const record = access.strip(c.req.param("entity"), await storeOf(c, access).create(body, c.get("actor")));
    c.header("location", `/api/data/${c.req.param("entity")}/${record.id}`);
    c.header("etag", etagOf(record.version));
    return c.json(record, 201);
  });

  routes.post("/:entity/bulk", async (c) => {
    const entity = entityOf(c);
    const body = await readJsonBody(c);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError(
        "validation_failed",
        'Send {"records": [...], "upsertBy"?: "<unique field>", "atomic"?: true}',
      );
    const { records, upsertBy, atomic, ...rest } = body as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length)
      throw new AppError(
        "validation_failed",
        "Unknown bulk options",
        extra.map((k) => ({ path: `/${k}`, message: "unknown property; use records, upsertBy, atomic" })),
      );
    if (upsertBy !== undefined && typeof upsertBy !== "string")
      throw new AppError("validation_failed", "upsertBy must be a field name");
    if (atomic !== undefined && typeof atomic !== "boolean")
      throw new AppError("validation_failed", "atomic must be true or false");
    const access = await accessOf(c);
    access.require(entity.name, "create");
    if (typeof upsertBy === "string")
      assertVisibleNames(entity, access.hidden(entity.name), { fields: new Set([upsertBy]) });
    if (Array.isArray(records))
      for (const [i, r] of records.entries()) access.assertWritable(entity.name, r, `/records/${i}`);
    const security = bulkSecurityOf(access, entity);
    const result = await bulkUpsert(ctx.db.knex, entity, records, { upsertBy, atomic }, c.get("actor"), security);
    return c.json(result, result.errors.length ? 207 : 200);
  });

  routes.get("/:entity/:id", async (c) => {
    const entity = entityOf(c);
    const access = await accessOf(c);
    access.require(entity.name, "read");
    const only = parseFields(entity, c.req.query("fields"));
    const expand = parseExpand(entity, c.req.query("expand"));
    assertVisibleNames(entity, access.hidden(entity.name), { fields: only, expand });
    const full = access.strip(entity.name, await storeOf(c, access).get(c.req.param("id")));
    const record = only ? pick(full, only) : full;
    await expandReferences(
      ctx.db.knex,
      ctx.registry,
      [record],
      expand.filter((f) => !only || only.has(f.name)),
      expandAccessOf(access),
    );
    c.header("etag", etagOf(full.version));
    return c.json(record);
  });

  routes.patch("/:entity/:id", async (c) => {
    const entity = entityOf(c);
    const access = await accessOf(c);
    await assertRecordAccess(ctx.db.knex, access, entity, c.req.param("id"), "update");
    const expected = ifMatch(c);
    const body = await readJsonBody(c);
    access.assertWritable(entity.name, body);
    const record = access.strip(entity.name, await storeOf(c, access).update(c.req.param("id"), body, expected));
    c.header("etag", etagOf(record.version));
    return c.json(record);
  });

  routes.delete("/:entity/:id", async (c) => {
    const entity = entityOf(c);
    const access = await accessOf(c);
    await assertRecordAccess(ctx.db.knex, access, entity, c.req.param("id"), "delete");
    const record = await storeOf(c, access).remove(c.req.param("id"), ifMatch(c));
    return c.json(access.strip(entity.name, record));
  });

  routes.post("/:entity/:id/restore", async (c) => {
    const entity = entityOf(c);
    const access = await accessOf(c);
    await assertRecordAccess(ctx.db.knex, access, entity, c.req.param("id"), "update", { includeDeleted: true });
    const record = access.strip(entity.name, await storeOf(c, access).restore(c.req.param("id"), ifMatch(c)));
    c.header("etag", etagOf(record.version));
    return c.json(record);
  });

  return routes;
}

function pick(record: Record<string, unknown>, only: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k === "id" || k === "version" || only.has(k)));
}
