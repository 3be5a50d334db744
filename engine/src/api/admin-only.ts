import { AppError } from "@kehu/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

/** Middleware: 403 unless the principal is an administrator, saying what only they may do. */
export function adminOnly(what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("principal")?.isAdmin) throw new AppError("forbidden", `Only administrators may ${what}`);
    await next();
  };
}
