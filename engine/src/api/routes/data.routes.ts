import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { bulkUpsert } from "../../records/bulk-upsert";
import { expandReferences } from "../../records/expand-references";
import { parseListParams } from "../../records/list-params";
import { parseExpand, parseFields } from "../../records/read-options";
import { rowToRecord } from "../../records/record-codec";
import { RecordStore } from "../../records/record-store";
import { etagOf, expectedVersion } from "../../records/record-version";
import { referrersOf } from "../../records/referrers";
import { listRecords } from "../../storage/list-query";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/** `/api/data/:entity`: records of any entity, shaped and validated by its metadata. */
export function dataRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const entityOf = (c: Context<AppEnv>) => ctx.registry.require(c.req.param("entity")!);
  const storeOf = (c: Context<AppEnv>) => {
    const entity = entityOf(c);
    return new RecordStore(ctx.db.knex, entity, referrersOf(ctx.registry.list(), entity.name));
  };
  const ifMatch = (c: Context<AppEnv>) => expectedVersion(c.req.header("if-match"));

  routes.get("/:entity", async (c) => {
    const entity = entityOf(c);
    const params = parseListParams(c.req.query());
    const only = parseFields(entity, c.req.query("fields"));
    const expand = parseExpand(entity, c.req.query("expand"));
    const { rows, nextCursor } = await listRecords(ctx.db.knex, entity, params);
    const data = rows.map((row) => rowToRecord(entity, row, only));
    await expandReferences(
      ctx.db.knex,
      ctx.registry,
      data,
      expand.filter((f) => !only || only.has(f.name)),
    );
    return c.json({ data, nextCursor });
  });

  routes.post("/:entity", async (c) => {
    const record = await storeOf(c).create(await readJsonBody(c), c.get("actor"));
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
    const result = await bulkUpsert(ctx.db.knex, entity, records, { upsertBy, atomic }, c.get("actor"));
    return c.json(result, result.errors.length ? 207 : 200);
  });

  routes.get("/:entity/:id", async (c) => {
    const entity = entityOf(c);
    const only = parseFields(entity, c.req.query("fields"));
    const expand = parseExpand(entity, c.req.query("expand"));
    const full = await storeOf(c).get(c.req.param("id"));
    const record = only ? pick(full, only) : full;
    await expandReferences(
      ctx.db.knex,
      ctx.registry,
      [record],
      expand.filter((f) => !only || only.has(f.name)),
    );
    c.header("etag", etagOf(full.version));
    return c.json(record);
  });

  routes.patch("/:entity/:id", async (c) => {
    const store = storeOf(c);
    const expected = ifMatch(c);
    const record = await store.update(c.req.param("id"), await readJsonBody(c), expected);
    c.header("etag", etagOf(record.version));
    return c.json(record);
  });

  routes.delete("/:entity/:id", async (c) => {
    const record = await storeOf(c).remove(c.req.param("id"), ifMatch(c));
    return c.json(record);
  });

  routes.post("/:entity/:id/restore", async (c) => {
    const record = await storeOf(c).restore(c.req.param("id"), ifMatch(c));
    c.header("etag", etagOf(record.version));
    return c.json(record);
  });

  return routes;
}

function pick(record: Record<string, unknown>, only: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k === "id" || k === "version" || only.has(k)));
}
