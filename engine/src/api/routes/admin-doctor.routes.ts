import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { runDoctor } from "../../maintenance/run-doctor";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";

/**
 * `GET /api/admin/doctor` (admins only): what `kehu doctor` reports, as JSON. Repairs stay with the CLI, where an
 * operator runs them deliberately.
 */
export function adminDoctorRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/doctor", adminOnly("run the doctor"), async (c) => {
    const report = await runDoctor(ctx.db.knex);
    return c.json({
      healthy: report.healthy,
      findings: report.findings.map((f) => ({
        kind: f.kind,
        entity: f.group === "system" ? null : f.group,
        object: f.object,
        severity: f.severity,
        expected: f.expected ?? null,
        actual: f.actual ?? null,
        repairable: f.repair !== undefined,
        repair: f.repair?.description ?? null,
        reason: f.reason ?? null,
      })),
    });
  });
  return routes;
}
