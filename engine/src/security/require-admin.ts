import { AppError } from "@kehu/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../api/app-env";

/** 403 unless the principal is an administrator. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("principal")?.isAdmin)
    throw new AppError("forbidden", "Only administrators may manage users, departments and roles");
  await next();
};
