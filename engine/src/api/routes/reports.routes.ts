import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { parseReportRequest } from "../../reports/report-request";
import { runReport } from "../../reports/run-report";
import { loadAccess } from "../../security/load-access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/**
 * `POST /api/reports/query`: grouped counts, sums, averages, minima and maxima of one entity, run as the caller
 * (record scope and field permissions apply), money in the base or a requested currency. `?explain=1` adds the
 * compiled SQL, for administrators.
 */
export function reportRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/query", async (c) => {
    const principal = c.get("principal") ?? SYSTEM_PRINCIPAL;
    const explain = c.req.query("explain") === "1" || c.req.query("explain") === "true";
    if (explain && !principal.isAdmin) throw new AppError("forbidden", "Only administrators may see a report's SQL");
    const request = parseReportRequest(await readJsonBody(c));
    const access = await loadAccess(ctx, principal);
    return c.json(await runReport(ctx.db.knex, ctx.registry, access, request, { explain }));
  });
  return routes;
}
