import { AppError } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";
import { syncConnectionRoutes } from "./sync-connections.routes";
import { syncConnectorRoutes } from "./sync-connectors.routes";
import { syncLedgerRoutes } from "./sync-ledger.routes";
import { syncMappingRoutes } from "./sync-mappings.routes";
import { syncQueueRoutes } from "./sync-queues.routes";
import { syncRunRoutes } from "./sync-runs.routes";

/** `/api/sync/...`: connections, mappings, runs, the ledger, dead letters, conflicts and replays; administrators only. */
export function syncApiRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use("*", async (c, next) => {
    if (!c.get("principal")?.isAdmin) throw new AppError("forbidden", "Only administrators may manage sync");
    await next();
  });
  routes.route("/connectors", syncConnectorRoutes(ctx));
  routes.route("/connections", syncConnectionRoutes(ctx));
  routes.route("/mappings", syncMappingRoutes(ctx));
  routes.route("/", syncRunRoutes(ctx));
  routes.route("/", syncQueueRoutes(ctx));
  routes.route("/", syncLedgerRoutes(ctx));
  return routes;
}
