import { AppError } from "@kehu/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { EngineContext } from "../engine-context";
import type { AppEnv } from "./app-env";
import { onErrorHandler, problemResponse } from "./problem-response";
import { MAX_BODY_BYTES } from "./read-json-body";
import { dataRoutes } from "./routes/data.routes";
import { entitySchemaRoutes } from "./routes/entity-schema.routes";
import { metaEntityRoutes } from "./routes/meta-entities.routes";
import { openapiRoutes } from "./routes/openapi.routes";

/** The HTTP API: every route, with problem+json for every failure. */
export function createApp(ctx: EngineContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onErrorHandler(ctx.logger));
  app.notFound((c) => problemResponse(new AppError("not_found", `No route for ${c.req.method} ${c.req.path}`)));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
      },
    }),
  );
  app.use("/api/*", async (c, next) => {
    c.set("actor", "system");
    await next();
  });
  app.route("/api/data", dataRoutes(ctx));
  app.route("/api/meta/entities", entitySchemaRoutes(ctx));
  app.route("/api/meta/entities", metaEntityRoutes(ctx));
  app.route("/api", openapiRoutes(ctx));
  return app;
}
