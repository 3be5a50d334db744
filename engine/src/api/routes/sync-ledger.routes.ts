import { AppError } from "@kehu/core";
import { SYNC_LEDGER_OUTCOMES } from "@kehu/schema";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { listLedger } from "../../sync/ledger-query";
import type { AppEnv } from "../app-env";
import { cursorParam, enumParam, limitParam, uuidParam } from "../list-params";

const DIRECTIONS = ["pull", "push"] as const;

/**
 * `GET /api/sync/ledger`: every record's passage through the runs, newest first. `run` gives one run's records,
 * `entity` + `record` (a CRM id) or `connection` + `stream` + `externalKey` one record's history across runs;
 * `mapping`, `direction` and `outcome` narrow it; `limit` and `before` (the `nextCursor`) page it. Records a pull
 * found unchanged are counted on the run, not itemised.
 */
export function syncLedgerRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/ledger", async (c) => {
    const query = (name: string) => c.req.query(name) || undefined;
    // One record's history is read through an index: (entity, record) or (connection, stream, external key).
    const needs = (given: string, names: string[]) => {
      const missing = names.filter((n) => !query(n));
      if (query(given) && missing.length)
        throw new AppError(
          "bad_request",
          `${given} needs ${names.join(" and ")} too`,
          missing.map((n) => ({ path: `/${n}`, message: `is required with ${given}` })),
        );
    };
    needs("record", ["entity"]);
    needs("externalKey", ["connection", "stream"]);
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
        outcome: enumParam("outcome", query("outcome"), SYNC_LEDGER_OUTCOMES),
        before: cursorParam(query("before")),
        limit: limitParam(query("limit"), 100, 1000),
      }),
    );
  });
  return routes;
}
