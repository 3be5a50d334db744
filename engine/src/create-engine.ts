import type { Hono } from "hono";
import { createApp } from "./api/app";
import type { AppEnv } from "./api/app-env";
import type { EngineContext } from "./engine-context";
import { formDependents } from "./forms/form-dependents";
import { createLogger, type Logger } from "./logger";
import { DependentRegistry } from "./metadata/dependents";
import { MetadataRegistry } from "./metadata/registry";
import type { Database } from "./storage/database";

/** A running engine: its context, the HTTP app, and how to close it. */
export interface Engine {
  ctx: EngineContext;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

/** Builds an engine over an open database (the engine takes ownership and closes it). */
export async function createEngine(db: Database, logger: Logger = createLogger()): Promise<Engine> {
  const registry = new MetadataRegistry(db.knex);
  await registry.refresh();
  const ctx: EngineContext = { db, registry, logger, dependents: new DependentRegistry() };
  ctx.dependents.register("forms", formDependents);
  return { ctx, app: createApp(ctx), close: () => db.close() };
}
