import { AppError, isUuid } from "@kehu/core";
import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import { deleteMatrix, getMatrix, listMatrices, saveMatrix } from "../../workflow/approval/approval-matrices";
import { parseApprovalMatrix } from "../../workflow/approval/approval-matrix";
import { planApproval } from "../../workflow/approval/approval-plan";
import { redirectOpenBallots } from "../../workflow/approval/approval-redirect";
import { createSubstitute, deleteSubstitute, listSubstitutes } from "../../workflow/approval/approval-substitutes";
import { adminOnly } from "../admin-only";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

const requireAdmin = adminOnly("manage approval matrices and substitutes");

function dryRunBody(body: unknown) {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues = [];
  if (typeof b.recordId !== "string" || !isUuid(b.recordId))
    issues.push({ path: "/recordId", message: "the id of the record to plan for is needed" });
  if (b.submitter !== undefined && typeof b.submitter !== "string")
    issues.push({ path: "/submitter", message: "submitter must be a user login" });
  if (b.at !== undefined && (typeof b.at !== "string" || Number.isNaN(Date.parse(b.at))))
    issues.push({ path: "/at", message: "at must be an ISO 8601 date-time" });
  for (const k of Object.keys(b))
    if (!["recordId", "submitter", "at", "definition"].includes(k))
      issues.push({ path: `/${k}`, message: "unknown property" });
  if (issues.length) throw new AppError("validation_failed", "The dry run request is not valid", issues);
  return b as { recordId: string; submitter?: string; at?: string; definition?: unknown };
}

/**
 * `/api/workflows/approval-matrices` (approval chains as data), `/api/workflows/substitutes` (out-of-office
 * substitutes) and `/api/workflows/approvals/:instanceId` (the chain an instance resolved and its votes); admins only.
 */
export function approvalRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  routes.use("/approval-matrices/*", requireAdmin);
  routes.use("/approval-matrices", requireAdmin);
  routes.use("/substitutes/*", requireAdmin);
  routes.use("/substitutes", requireAdmin);
  routes.use("/approvals/*", requireAdmin);

  routes.get("/approval-matrices", async (c) => c.json({ data: await listMatrices(knex, c.req.query("entity")) }));
  routes.post("/approval-matrices", async (c) => {
    const saved = await saveMatrix(knex, ctx.registry, await readJsonBody(c), c.get("actor"), { create: true });
    c.header("location", `/api/workflows/approval-matrices/${saved.key}`);
    return c.json(saved, 201);
  });
  routes.get("/approval-matrices/:key", async (c) => c.json(await getMatrix(knex, c.req.param("key"))));
  routes.put("/approval-matrices/:key", async (c) => {
    const key = c.req.param("key");
    const body = await readJsonBody(c);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError("validation_failed", "Send the approval matrix as a JSON object");
    return c.json(await saveMatrix(knex, ctx.registry, body, c.get("actor"), { create: false, key }));
  });
  routes.delete("/approval-matrices/:key", async (c) => {
    await deleteMatrix(knex, c.req.param("key"));
    return c.body(null, 204);
  });
  // Who would approve this record, in which order, and why: with the saved matrix, or a changed one (`definition`).
  routes.post("/approval-matrices/:key/dry-run", async (c) => {
    const body = dryRunBody(await readJsonBody(c));
    const stored = await getMatrix(knex, c.req.param("key"));
    const matrix =
      body.definition === undefined
        ? stored.definition
        : await parseApprovalMatrix(knex, ctx.registry, { ...(body.definition as object), key: stored.key });
    const at = body.at ? new Date(body.at) : (ctx.workflows?.clock.now() ?? new Date());
    const plan = await planApproval(knex, ctx.registry, {
      matrix,
      revision: stored.revision,
      recordId: body.recordId,
      submitter: body.submitter ?? null,
      at,
    });
    return c.json(plan);
  });

  routes.get("/substitutes", async (c) => c.json({ data: await listSubstitutes(knex, c.req.query("user")) }));
  routes.post("/substitutes", async (c) => {
    const body = await readJsonBody(c);
    const saved = await knex.transaction(async (trx) => {
      const absence = await createSubstitute(trx, body, c.get("actor"));
      await redirectOpenBallots(trx, absence, ctx.workflows?.clock.now() ?? new Date(), c.get("actor"));
      return absence;
    });
    return c.json(saved, 201);
  });
  routes.delete("/substitutes/:id", async (c) => {
    await deleteSubstitute(knex, c.req.param("id"));
    return c.body(null, 204);
  });

  routes.get("/approvals/:instanceId", async (c) => {
    const id = c.req.param("instanceId");
    const row = isUuid(id) ? await knex("kehu.approval_runs").where({ instance_id: id }).first() : undefined;
    if (!row) throw new AppError("not_found", `No approval for instance ${id}`);
    return c.json({
      instanceId: row.instance_id,
      matrix: row.matrix_key,
      round: row.round,
      outcome: row.outcome,
      plan: row.plan,
      state: row.state,
      updatedAt: new Date(row.updated_at).toISOString(),
    });
  });
  return routes;
}
