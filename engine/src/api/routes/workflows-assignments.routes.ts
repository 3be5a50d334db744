import { AppError, isUuid } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { RecordStore } from "../../records/record-store";
import { loadAccess } from "../../security/load-access";
import { recordHooksOf } from "../../security/record-hooks";
import { assignmentTraces } from "../../workflow/services/assignment-traces";
import { whatIfAssignments } from "../../workflow/services/assignment-what-if";
import { saveTerritoryRuleSet, territoryRuleSet } from "../../workflow/services/territory-rule-sets";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

const requireAdmin = adminOnly("try or change assignment rules");

/**
 * `/api/workflows/assignments`: why a record got its owner (the assignOwner decisions about it, for anyone who may
 * read the record), a what-if replay of changed territory rules over last month's decisions, and the stored
 * territory rule sets (admins).
 */
export function workflowAssignmentRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get("/", async (c) => {
    const { entity: name, record } = c.req.query();
    const entity = name ? ctx.registry.get(name) : undefined;
    if (!entity)
      throw new AppError("bad_request", "entity must name an entity", [{ path: "/entity", message: "unknown entity" }]);
    if (!record || !isUuid(record))
      throw new AppError("bad_request", "record must be a record id", [{ path: "/record", message: "not an id" }]);
    const access = await loadAccess(ctx, c.get("principal"));
    access.require(entity.name, "read");
    // Only someone who may see the record may see why it went to whom.
    await new RecordStore(ctx.db.knex, entity, [], recordHooksOf(access, entity)).get(record, { includeDeleted: true });
    return c.json({ data: await assignmentTraces(ctx.db.knex, entity.name, record) });
  });
  routes.post("/what-if", requireAdmin, async (c) => {
    const now = ctx.workflows?.clock.now() ?? new Date();
    return c.json(await whatIfAssignments(ctx, await readJsonBody(c), now));
  });
  routes.get("/rule-sets/:name", requireAdmin, async (c) => {
    const table = await territoryRuleSet(ctx.db.knex, c.req.param("name"));
    if (!table) throw new AppError("not_found", `No territory rule set "${c.req.param("name")}"`);
    return c.json(table);
  });
  routes.put("/rule-sets/:name", requireAdmin, async (c) =>
    c.json(await saveTerritoryRuleSet(ctx.db.knex, c.req.param("name"), await readJsonBody(c))),
  );
  return routes;
}
