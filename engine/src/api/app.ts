import { AppError } from "@kehu/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { EngineContext } from "../engine-context";
import { authenticate } from "../security/authenticate";
import type { AppEnv } from "./app-env";
import { onErrorHandler, problemResponse } from "./problem-response";
import { MAX_BODY_BYTES } from "./read-json-body";
import { adminCurrencyRoutes } from "./routes/admin-currencies.routes";
import { adminDepartmentRoutes } from "./routes/admin-departments.routes";
import { adminDoctorRoutes } from "./routes/admin-doctor.routes";
import { adminRoleRoutes } from "./routes/admin-roles.routes";
import { adminUserRoutes } from "./routes/admin-users.routes";
import { approvalRoutes } from "./routes/approvals.routes";
import { auditRoutes } from "./routes/audit.routes";
import { authRoutes } from "./routes/auth.routes";
import { dashboardRoutes } from "./routes/dashboards.routes";
import { dataRoutes } from "./routes/data.routes";
import { entityFormRoutes } from "./routes/entity-form.routes";
import { entitySchemaRoutes } from "./routes/entity-schema.routes";
import { explainRoutes } from "./routes/explain.routes";
import { exportRoutes } from "./routes/export.routes";
import { importRoutes } from "./routes/import.routes";
import { metaEntityRoutes } from "./routes/meta-entities.routes";
import { metaFormRoutes } from "./routes/meta-forms.routes";
import { metaImpactRoutes } from "./routes/meta-impact.routes";
import { metaRevisionRoutes } from "./routes/meta-revisions.routes";
import { notificationRoutes } from "./routes/notifications.routes";
import { openapiRoutes } from "./routes/openapi.routes";
import { ownershipRoutes } from "./routes/ownership.routes";
import { reportRoutes } from "./routes/reports.routes";
import { syncApiRoutes } from "./routes/sync-api.routes";
import { taskRoutes } from "./routes/tasks.routes";
import { workflowRoutes } from "./routes/workflows.routes";
import { workflowAssignmentRoutes } from "./routes/workflows-assignments.routes";
import { workflowInstanceRoutes } from "./routes/workflows-instances.routes";

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
  app.use("/api/*", authenticate(ctx));
  app.route("/api/auth", authRoutes(ctx));
  app.route("/api/admin/users", adminUserRoutes(ctx));
  app.route("/api/admin/departments", adminDepartmentRoutes(ctx));
  app.route("/api/admin/roles", adminRoleRoutes(ctx));
  app.route("/api/data", importRoutes(ctx));
  app.route("/api/data", exportRoutes(ctx));
  app.route("/api/data", dataRoutes(ctx));
  app.route("/api/meta/entities", entitySchemaRoutes(ctx));
  app.route("/api/meta/entities", entityFormRoutes(ctx));
  app.route("/api/meta/entities", metaEntityRoutes(ctx));
  app.route("/api/meta/entities", metaImpactRoutes(ctx));
  app.route("/api/meta/revisions", metaRevisionRoutes(ctx));
  app.route("/api/meta/forms", metaFormRoutes(ctx));
  app.route("/api", openapiRoutes(ctx));
  app.route("/api/audit", auditRoutes(ctx));
  app.route("/api/admin", explainRoutes(ctx));
  app.route("/api/admin", ownershipRoutes(ctx));
  app.route("/api/admin", adminDoctorRoutes(ctx));
  app.route("/api/admin", adminCurrencyRoutes(ctx));
  app.route("/api/reports", reportRoutes(ctx));
  app.route("/api/dashboards", dashboardRoutes(ctx));
  app.route("/api/workflows/instances", workflowInstanceRoutes(ctx));
  app.route("/api/workflows/assignments", workflowAssignmentRoutes(ctx));
  app.route("/api/workflows", approvalRoutes(ctx));
  app.route("/api/workflows", workflowRoutes(ctx));
  app.route("/api/tasks", taskRoutes(ctx));
  app.route("/api/notifications", notificationRoutes(ctx));
  app.route("/api/sync", syncApiRoutes(ctx));
  return app;
}
