import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { parseReportRequest } from "../../reports/report-request";
import { deleteReport, listReports, requireReport, saveReport } from "../../reports/report-store";
import { runReport } from "../../reports/run-report";
import { loadAccess } from "../../security/load-access";
import { type Principal, SYSTEM_PRINCIPAL } from "../../security/principal";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";
import { bodyForKey } from "./body-for-key";

/** `?explain=1` shows a report's compiled SQL, to administrators only. */
export function wantsExplain(principal: Principal, query: string | undefined): boolean {
  const explain = query === "1" || query === "true";
  if (explain && !principal.isAdmin) throw new AppError("forbidden", "Only administrators may see a report's SQL");
  return explain;
}

/**
 * `/api/reports`: `POST /query` runs an ad-hoc report — grouped counts, sums, averages, minima and maxima of one
 * entity, run as the caller (record scope and field permissions apply), money in the base or a requested
 * currency. Saved reports: listed and run by anyone (`POST /:key/run`, again as the caller), created, replaced
 * and deleted by administrators. `?explain=1` adds the compiled SQL, for administrators.
 */
export function reportRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const principalOf = (c: { get(k: "principal"): Principal | undefined }) => c.get("principal") ?? SYSTEM_PRINCIPAL;

  routes.post("/query", async (c) => {
    const principal = principalOf(c);
    const explain = wantsExplain(principal, c.req.query("explain"));
    const request = parseReportRequest(await readJsonBody(c));
    const access = await loadAccess(ctx, principal);
    return c.json(await runReport(ctx.db.knex, ctx.registry, access, request, { explain }));
  });

  routes.get("/", async (c) => c.json({ data: await listReports(ctx.db.knex, c.req.query("entity") || undefined) }));
  routes.get("/:key", async (c) => c.json(await requireReport(ctx.db.knex, c.req.param("key"))));

  routes.post("/:key/run", async (c) => {
    const principal = principalOf(c);
    const explain = wantsExplain(principal, c.req.query("explain"));
    const { definition } = await requireReport(ctx.db.knex, c.req.param("key"));
    const access = await loadAccess(ctx, principal);
    const result = await runReport(ctx.db.knex, ctx.registry, access, definition.query, { explain });
    return c.json({ report: definition, ...result });
  });

  routes.put("/:key", adminOnly("save reports"), async (c) => {
    const input = bodyForKey(await readJsonBody(c), c.req.param("key"));
    const result = await saveReport(ctx.db.knex, ctx.registry, input, c.get("actor"));
    return c.json(result.report, result.created ? 201 : 200);
  });

  routes.delete("/:key", adminOnly("delete reports"), async (c) => {
    await deleteReport(ctx.db.knex, c.req.param("key"));
    return c.body(null, 204);
  });
  return routes;
}
