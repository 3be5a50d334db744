import { AppError, isAppError } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { type Context, Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { type ApplyOptions, applyEntities } from "../../metadata/apply-entities";
import { deleteEntity } from "../../metadata/delete-entity";
import { listRevisions } from "../../metadata/revisions";
import { readStoredEntities, readStoredEntity } from "../../metadata/stored-entities";
import { batchPrefix } from "../../metadata/validate-batch";
import { loadAccess } from "../../security/load-access";
import { SYSTEM_PRINCIPAL } from "../../security/principal";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/**
 * `/api/meta/entities`: entity definitions and their changes. Writes take `?dryRun=1` (plan and checks only)
 * and `?confirm=1` (allow destructive steps); problems point into the request body (`/fields/2/type`).
 */
export function metaEntityRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const accessOf = (c: Context<AppEnv>) => loadAccess(ctx, c.get("principal"));
  // Definitions change only by administrators; others read the entities they have any permission on.
  routes.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && !(c.get("principal") ?? SYSTEM_PRINCIPAL).isAdmin)
      throw new AppError("forbidden", "Only administrators may change entity definitions");
    await next();
  });
  const onlyUsable = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const name = c.req.param("name")!;
    if (!(await accessOf(c)).canUse(name)) throw new AppError("unknown_entity", `No entity named "${name}"`);
    await next();
  };
  routes.use("/:name", onlyUsable);
  routes.use("/:name/*", onlyUsable);

  routes.get("/", async (c) => {
    const access = await accessOf(c);
    const stored = await readStoredEntities(ctx.db.knex);
    const visible = [...stored.values()].filter((e) => access.canUse(e.definition.name));
    return c.json({ data: visible.map((e) => e.definition) });
  });

  routes.get("/:name", async (c) => {
    const stored = await readStoredEntity(ctx.db.knex, c.req.param("name"));
    if (!stored) throw new AppError("unknown_entity", `No entity named "${c.req.param("name")}"`);
    return c.json(stored);
  });

  routes.post("/", async (c) => {
    const body = await readJsonBody(c);
    return applyOne(ctx, c, body, "new");
  });

  routes.put("/:name", async (c) => {
    const name = c.req.param("name");
    const body = await readJsonBody(c);
    const sent = (body as { name?: unknown } | null)?.name;
    if (typeof sent === "string" && sent !== name)
      throw new AppError("validation_failed", "The body names another entity than the path", [
        { path: "/name", message: `must be "${name}", as in the path` },
      ]);
    return applyOne(ctx, c, body, "existing");
  });

  routes.delete("/:name", async (c) => {
    const result = await deleteEntity(ctx, c.req.param("name"), { ...flagsOf(c), actor: c.get("actor") });
    if (!result.applied) return c.json({ dryRun: true, plan: result.plan });
    return c.json({ deleted: true, plan: result.plan, revisionId: result.revision });
  });

  routes.get("/:name/revisions", async (c) => {
    const name = c.req.param("name");
    const revisions = await listRevisions(ctx.db.knex, name);
    if (!revisions.length) throw new AppError("unknown_entity", `No entity named "${name}"`);
    return c.json({ data: revisions });
  });

  return routes;
}

function flagsOf(c: Context<AppEnv>): Pick<ApplyOptions, "dryRun" | "confirm"> {
  const on = (key: string) => ["1", "true", "yes"].includes((c.req.query(key) ?? "").toLowerCase());
  return { dryRun: on("dryRun"), confirm: on("confirm") };
}

async function applyOne(ctx: EngineContext, c: Context<AppEnv>, body: unknown, expect: ApplyOptions["expect"]) {
  const flags = flagsOf(c);
  let plans: Awaited<ReturnType<typeof applyEntities>>["plans"];
  try {
    ({ plans } = await applyEntities(ctx, [body as EntityDefinition], { ...flags, actor: c.get("actor"), expect }));
  } catch (e) {
    throw isAppError(e) ? relativeToBody(e, batchPrefix(body, 0)) : e;
  }
  if (flags.dryRun) return c.json({ dryRun: true, plan: plans[0] });
  const stored = await readStoredEntity(ctx.db.knex, plans[0].entity);
  return c.json({ ...stored, plan: plans[0] }, expect === "new" ? 201 : 200);
}

/** The batch's issue paths (`/customer/fields/2`) as paths into the one definition sent (`/fields/2`). */
function relativeToBody(error: AppError, prefix: string): AppError {
  const issues = error.issues.map((i) => ({
    ...i,
    path: i.path === prefix ? "/" : i.path.startsWith(`${prefix}/`) ? i.path.slice(prefix.length) : i.path,
  }));
  return new AppError(error.code, error.message, issues, error.extra);
}
