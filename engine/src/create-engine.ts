import type { Hono } from "hono";
import { createApp } from "./api/app";
import type { AppEnv } from "./api/app-env";
import type { EngineContext } from "./engine-context";
import { formDependents } from "./forms/form-dependents";
import { JobQueue } from "./jobs/job-queue";
import { createLogger, type Logger } from "./logger";
import { DependentRegistry } from "./metadata/dependents";
import { permissionDependents } from "./metadata/permission-dependents";
import { MetadataRegistry } from "./metadata/registry";
import { reportDependents } from "./reports/report-dependents";
import { listenToRecordChanges } from "./security/record-hooks";
import type { Database } from "./storage/database";
import { builtInConnectors } from "./sync/connector-registry";
import { syncDependents } from "./sync/sync-dependents";
import { approvalDependents } from "./workflow/approval/approval-dependents";
import { workflowDependents } from "./workflow/deployments";
import { recordTriggerListener } from "./workflow/record-triggers";
import { triggerDependents } from "./workflow/triggers";
import { WorkflowRuntime } from "./workflow/workflow-runtime";

/** A running engine: its context, the HTTP app, and how to close it. */
export interface Engine {
  ctx: EngineContext;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

/** Builds an engine over an open database (the engine takes ownership and closes it). */
export async function createEngine(
  db: Database,
  logger: Logger = createLogger(),
  options: { jobs?: boolean } = {},
): Promise<Engine> {
  const registry = new MetadataRegistry(db.knex);
  await registry.refresh();
  const ctx: EngineContext = { db, registry, logger, dependents: new DependentRegistry() };
  ctx.dependents.register("permission", permissionDependents);
  ctx.dependents.register("sync", syncDependents);
  ctx.dependents.register("forms", formDependents);
  ctx.dependents.register("reports", reportDependents);
  ctx.connectors = builtInConnectors();
  ctx.workflows = new WorkflowRuntime(ctx);
  ctx.jobs = new JobQueue(ctx, ctx.workflows);
  ctx.dependents.register("workflow", workflowDependents);
  ctx.dependents.register("workflow-triggers", triggerDependents);
  ctx.dependents.register("approval", approvalDependents);
  listenToRecordChanges(db.knex, recordTriggerListener(ctx.workflows));
  if (options.jobs) await ctx.jobs.start();
  const close = async () => {
    await ctx.jobs?.stop();
    await db.close();
  };
  return { ctx, app: createApp(ctx), close };
}
