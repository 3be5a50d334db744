import { AppError, isUuid } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { RecordStore } from "../../records/record-store";
import { referrersOf } from "../../records/referrers";
import { loadAccess } from "../../security/load-access";
import type { Principal } from "../../security/principal";
import { recordHooksOf } from "../../security/record-hooks";
import { deploymentOf, deployWorkflow } from "../../workflow/deployments";
import { instanceView } from "../../workflow/instance-view";
import { createTrigger, triggerOf } from "../../workflow/triggers";
import type { WorkflowRuntime } from "../../workflow/workflow-runtime";
import { updateWorkflowSettings, workflowSettings } from "../../workflow/workflow-settings";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

const requireAdmin = adminOnly("manage users, departments and roles");

export function runtimeOf(ctx: EngineContext): WorkflowRuntime {
  if (!ctx.workflows) throw new AppError("not_implemented", "This engine has no workflow runtime");
  return ctx.workflows;
}

function startBody(body: unknown) {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues = [];
  if (
    b.variables !== undefined &&
    (typeof b.variables !== "object" || b.variables === null || Array.isArray(b.variables))
  )
    issues.push({ path: "/variables", message: "variables must be an object" });
  // `${initiator}` assigns tasks and receives notifications: it is who starts, never what the caller says.
  else if (b.variables !== undefined && Object.hasOwn(b.variables, "initiator"))
    issues.push({ path: "/variables/initiator", message: "initiator is always the user who starts the instance" });
  if (b.businessKey !== undefined && typeof b.businessKey !== "string")
    issues.push({ path: "/businessKey", message: "businessKey must be text" });
  if (b.recordId !== undefined && (typeof b.recordId !== "string" || !isUuid(b.recordId)))
    issues.push({ path: "/recordId", message: "recordId must be the id of a record" });
  else if (b.recordId !== undefined && b.variables && Object.hasOwn(b.variables, "record"))
    issues.push({ path: "/variables/record", message: "the record variable is the record of recordId" });
  for (const k of Object.keys(b))
    if (!["variables", "businessKey", "recordId"].includes(k))
      issues.push({ path: `/${k}`, message: "unknown property" });
  if (issues.length) throw new AppError("validation_failed", "The start request is not valid", issues);
  return {
    variables: (b.variables ?? {}) as Record<string, unknown>,
    businessKey: b.businessKey as string | undefined,
    recordId: b.recordId as string | undefined,
  };
}

/**
 * The record a start by hand is for (`recordId`), read as the caller (scope and hidden fields apply, so no one starts a
 * workflow on a record they cannot see): it becomes the instance's record and its `record` variable, as a record
 * trigger's start has them.
 */
async function startRecord(ctx: EngineContext, principal: Principal | undefined, key: string, recordId: string) {
  const deployment = await ctx.db.knex("kehu.wf_deployments").where({ key }).orderBy("version", "desc").first("entity");
  if (!deployment) throw new AppError("not_found", `No workflow deployed under key "${key}"`);
  const entity = deployment.entity ? ctx.registry.get(deployment.entity) : undefined;
  if (!entity)
    throw new AppError("validation_failed", "The start request is not valid", [
      { path: "/recordId", message: `workflow "${key}" is not started for records (deploy it with an entity)` },
    ]);
  const access = await loadAccess(ctx, principal);
  access.require(entity.name, "read");
  const store = new RecordStore(
    ctx.db.knex,
    entity,
    referrersOf(ctx.registry.list(), entity.name),
    recordHooksOf(access, entity),
  );
  return { entity: entity.name, record: access.strip(entity.name, await store.get(recordId)) };
}

/** `/api/workflows`: deployments, the service library, settings and triggers (admins), and starting instances (`POST /:key/instances`). */
export function workflowRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/deployments", requireAdmin, async (c) => {
    const runtime = runtimeOf(ctx);
    const body = await readJsonBody(c);
    const deps = { library: runtime.library, registry: ctx.registry };
    const { deployment, created } = await deployWorkflow(ctx.db.knex, deps, body, c.get("actor"));
    return c.json(deployment, created ? 201 : 200);
  });
  routes.get("/deployments", async (c) => {
    const q = ctx.db.knex("kehu.wf_deployments").orderBy([{ column: "key" }, { column: "version", order: "desc" }]);
    const key = c.req.query("key");
    if (key) q.where({ key });
    const rows = await q.select("key", "version", "name", "entity", "reads", "created_by", "created_at");
    return c.json({ data: rows.map(deploymentOf) });
  });
  routes.get("/deployments/:key/:version", async (c) => {
    const version = Number(c.req.param("version"));
    // A version past the column's range is no deployment, not a database error quoting the SQL.
    const row =
      Number.isInteger(version) && version >= 1 && version <= 2_147_483_647
        ? await ctx.db
            .knex("kehu.wf_deployments")
            .where({ key: c.req.param("key"), version })
            .first()
        : undefined;
    if (!row) throw new AppError("not_found", `No deployment ${c.req.param("key")} v${c.req.param("version")}`);
    return c.json({ ...deploymentOf(row), xml: row.xml });
  });
  routes.get("/services", async (c) => {
    const library = runtimeOf(ctx).library;
    const data = library.names().map((name) => {
      const { version, description, inputSchema } = library.get(name)!;
      return { name, version, description, inputSchema };
    });
    return c.json({ data });
  });
  routes.get("/settings", requireAdmin, async (c) => c.json(await workflowSettings(ctx.db.knex)));
  routes.put("/settings", requireAdmin, async (c) => {
    const settings = await updateWorkflowSettings(ctx.db.knex, await readJsonBody(c));
    ctx.workflows?.forgetSettings();
    return c.json(settings);
  });
  routes.post("/triggers", requireAdmin, async (c) => {
    const trigger = await createTrigger(ctx.db.knex, ctx.registry, await readJsonBody(c));
    await ctx.jobs?.syncSchedules();
    return c.json(trigger, 201);
  });
  routes.get("/triggers", requireAdmin, async (c) => {
    const rows = await ctx.db.knex("kehu.wf_triggers").orderBy("created_at");
    return c.json({ data: rows.map(triggerOf) });
  });
  routes.delete("/triggers/:id", requireAdmin, async (c) => {
    const id = c.req.param("id");
    const deleted = isUuid(id) ? await ctx.db.knex("kehu.wf_triggers").where({ id }).del() : 0;
    if (!deleted) throw new AppError("not_found", `No trigger ${id}`);
    await ctx.jobs?.syncSchedules();
    return c.body(null, 204);
  });
  routes.post("/:key/instances", async (c) => {
    const runtime = runtimeOf(ctx);
    const { variables, businessKey, recordId } = startBody(await readJsonBody(c));
    const principal = c.get("principal");
    if (principal?.token?.access === "read")
      throw new AppError("forbidden", "A read-only token cannot start workflows");
    const initiator = principal?.login ?? c.get("actor");
    const key = c.req.param("key");
    const linked = recordId ? await startRecord(ctx, principal, key, recordId) : undefined;
    const outcome = await runtime.start(
      key,
      { initiator, ...variables, ...(linked && { record: linked.record }) },
      { businessKey, actor: initiator, entity: linked?.entity, recordId },
    );
    const row = await ctx.db.knex("kehu.wf_instances").where({ id: outcome.instanceId }).first();
    c.header("location", `/api/workflows/instances/${outcome.instanceId}`);
    return c.json(instanceView(row), 201);
  });
  return routes;
}
