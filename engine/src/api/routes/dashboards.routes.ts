import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { deleteDashboard, listDashboards, requireDashboard, saveDashboard } from "../../reports/dashboard-store";
import { getReport } from "../../reports/report-store";
import { runReport } from "../../reports/run-report";
import { loadAccess } from "../../security/load-access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { appErrorFromDatabase } from "../database-errors";
import { problemOf } from "../problem-response";
import { readJsonBody } from "../read-json-body";
import { bodyForKey } from "./body-for-key";

/**
 * `/api/dashboards`: saved reports shown together. `GET /:key/data` runs every report of a dashboard as the caller;
 * a report the caller may not run comes back as its problem, and the others still show.
 */
export function dashboardRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/", async (c) => c.json({ data: await listDashboards(ctx.db.knex) }));
  routes.get("/:key", async (c) => c.json(await requireDashboard(ctx.db.knex, c.req.param("key"))));

  routes.get("/:key/data", async (c) => {
    const { definition } = await requireDashboard(ctx.db.knex, c.req.param("key"));
    const access = await loadAccess(ctx, c.get("principal") ?? SYSTEM_PRINCIPAL);
    const reports = [];
    for (const key of definition.reports) {
      const saved = await getReport(ctx.db.knex, key);
      if (!saved) {
        reports.push({ key, problem: problemOf(new AppError("not_found", `No report "${key}"`)) });
        continue;
      }
      try {
        const result = await runReport(ctx.db.knex, ctx.registry, access, saved.definition.query);
        reports.push({ key, report: saved.definition, ...result });
      } catch (e) {
        // A missing exchange rate, say, spoils one report, not the dashboard.
        const known = e instanceof AppError ? e : appErrorFromDatabase(e as Error);
        if (!known) throw e;
        reports.push({ key, report: saved.definition, problem: problemOf(known) });
      }
    }
    return c.json({ dashboard: definition, reports });
  });

  routes.put("/:key", adminOnly("save dashboards"), async (c) => {
    const input = bodyForKey(await readJsonBody(c), c.req.param("key"));
    const result = await saveDashboard(ctx.db.knex, input, c.get("actor"));
    return c.json(result.dashboard, result.created ? 201 : 200);
  });

  routes.delete("/:key", adminOnly("delete dashboards"), async (c) => {
    await deleteDashboard(ctx.db.knex, c.req.param("key"));
    return c.body(null, 204);
  });
  return routes;
}
