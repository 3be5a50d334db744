import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { LEDGER_OUTCOMES, listLedger } from "../../sync/ledger-query";
import type { AppEnv } from "../app-env";
import { cursorParam, enumParam, limitParam, uuidParam } from "../list-params";

const DIRECTIONS = ["pull", "push"] as const;

/**
 * `GET /api/sync/ledger`: every record's passage through the runs, newest first. `run` gives one run's records,
 * `record` (a CRM id) or `externalKey` one record's history across runs; `connection`, `stream`, `mapping`, `entity`,
 * `direction` and `outcome` narrow it; `limit` and `before` (the `nextCursor`) page it.
 */
export function syncLedgerRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/ledger", async (c) => {
    const query = (name: string) => c.req.query(name) || undefined;
    return c.json(
      await listLedger(ctx.db.knex, {
        runId: uuidParam("run", query("run")),
        recordId: uuidParam("record", query("record")),
        externalKey: query("externalKey"),
        connection: query("connection"),
        stream: query("stream"),
        mapping: query("mapping"),
        entity: query("entity"),
        direction: enumParam("direction", query("direction"), DIRECTIONS),
        outcome: enumParam("outcome", query("outcome"), LEDGER_OUTCOMES),
        before: cursorParam(query("before")),
        limit: limitParam(query("limit"), 100, 1000),
      }),
    );
  });
  return routes;
}
