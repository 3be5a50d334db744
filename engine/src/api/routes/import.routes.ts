import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { loadAccess } from "../../security/load-access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import { parseImportQuery } from "../../transfer/import-query";
import { importRecords } from "../../transfer/import-records";
import { rowIssue } from "../../transfer/row-errors";
import { readSheet, type SheetFormat, sheetFormatOf, XLSX_TYPE } from "../../transfer/sheet-source";
import type { AppEnv } from "../app-env";

/**
 * `POST /api/data/:entity/import`: a CSV or XLSX file (the body, or the `file` part of a form) into an entity, as the
 * caller with audit channel `import`. 200 `{created, updated, skipped, errors}`; all-or-nothing with bad rows: 422
 * with the same row errors and nothing written.
 */
export function importRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/:entity/import", async (c) => {
    const entity = ctx.registry.require(c.req.param("entity"));
    const { options, read } = parseImportQuery(c.req.query());
    const access = await loadAccess(ctx, { ...(c.get("principal") ?? SYSTEM_PRINCIPAL), channel: "import" });
    access.require(entity.name, "create");
    const upload = await uploadOf(c);
    const result = await importRecords(
      { knex: ctx.db.knex, registry: ctx.registry, access, actor: c.get("actor") },
      entity,
      readSheet(upload.format, upload.bytes, read),
      options,
    );
    const body = {
      created: result.created,
      updated: result.updated,
      skipped: result.skipped,
      errors: result.errors,
      dryRun: options.dryRun === true,
    };
    if (options.mode === "all-or-nothing" && result.errors.length && !options.dryRun)
      throw new AppError(
        "import_refused",
        `${result.skipped} rows are not valid; nothing was imported`,
        result.errors.map(rowIssue),
        { created: 0, updated: 0, skipped: result.skipped },
      );
    return c.json(body);
  });
  return routes;
}

async function uploadOf(c: Context<AppEnv>): Promise<{ format: SheetFormat; bytes: AsyncIterable<Uint8Array> }> {
  const type = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    const form = await c.req.parseBody().catch((e: Error) => {
      throw new AppError("bad_request", `The body is not a valid multipart form: ${e.message}`);
    });
    const file = form.file;
    if (!(file instanceof File))
      throw new AppError("validation_failed", "Send the file in the form field `file`", [
        { path: "/file", message: "is required" },
      ]);
    const format = sheetFormatOf(file.type, file.name);
    if (!format)
      throw new AppError("unsupported_media_type", `Send a .csv or .xlsx file (got "${file.name}", ${file.type})`);
    return { format, bytes: file.stream() as unknown as AsyncIterable<Uint8Array> };
  }
  const format = sheetFormatOf(type);
  if (!format)
    throw new AppError(
      "unsupported_media_type",
      `Send the file as text/csv, ${XLSX_TYPE} or multipart/form-data (got "${type || "nothing"}")`,
    );
  // Read whole (the body limit bounds it) so a long import is not cut off as a request still being received.
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (!body.length) throw new AppError("validation_failed", "The request has no file");
  return { format, bytes: slices(body) };
}

async function* slices(body: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < body.length; i += 1 << 16) yield body.subarray(i, i + (1 << 16));
}
