import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { getConflict, listConflicts } from "../../sync/conflict-store";
import { conflictView } from "../../sync/conflict-view";
import { closeDeadLetter, getDeadLetter, listDeadLetters } from "../../sync/dead-letter-store";
import { retryDeadLetter } from "../../sync/replay";
import { resolveConflict } from "../../sync/resolve-conflict";
import { syncServicesOf } from "../../sync/sync-services";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";
import { syncListLimit, syncListRun, syncListStatus } from "../sync-list-query";

/** `/api/sync/dead-letters` and `/api/sync/conflicts`: what needs a person. */
export function syncQueueRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const services = () => syncServicesOf(ctx);
  const labelOf = async (connection: string) => {
    const row = await ctx.db.knex("kehu.sync_connections").where({ name: connection }).first("connector");
    return (row && ctx.connectors?.get(row.connector)?.spec.label.en) ?? "ERP";
  };
  const q = (c: { req: { query(k: string): string | undefined } }, statuses: readonly string[]) => ({
    connection: c.req.query("connection"),
    mapping: c.req.query("mapping"),
    status: syncListStatus(c.req.query("status"), statuses),
    limit: syncListLimit(c.req.query("limit"), 100, 1000),
  });

  routes.get("/dead-letters", async (c) =>
    c.json({
      data: await listDeadLetters(ctx.db.knex, {
        ...q(c, ["open", "retried", "discarded"]),
        runId: syncListRun(c.req.query("run")),
      }),
    }),
  );
  routes.get("/dead-letters/:id", async (c) => c.json(await getDeadLetter(ctx.db.knex, c.req.param("id"))));
  routes.post("/dead-letters/:id/retry", async (c) =>
    c.json(await retryDeadLetter(services(), c.req.param("id"), c.get("actor"))),
  );
  routes.post("/dead-letters/:id/discard", async (c) => {
    const letter = await getDeadLetter(ctx.db.knex, c.req.param("id"));
    return c.json(await closeDeadLetter(ctx.db.knex, letter.id, "discarded", c.get("actor")));
  });

  routes.get("/conflicts", async (c) => {
    const rows = await listConflicts(ctx.db.knex, q(c, ["open", "resolved"]));
    const labels = new Map<string, string>();
    for (const r of rows) if (!labels.has(r.connection)) labels.set(r.connection, await labelOf(r.connection));
    return c.json({ data: rows.map((r) => conflictView(r, labels.get(r.connection)!)) });
  });
  routes.get("/conflicts/:id", async (c) => {
    const row = await getConflict(ctx.db.knex, c.req.param("id"));
    return c.json(conflictView(row, await labelOf(row.connection)));
  });
  routes.post("/conflicts/:id/resolve", async (c) => {
    const body = await readJsonBody(c);
    const row = await resolveConflict(services(), c.req.param("id"), body, c.get("principal"));
    return c.json(conflictView(row, await labelOf(row.connection)));
  });
  return routes;
}
