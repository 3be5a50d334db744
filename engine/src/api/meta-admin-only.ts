import { AppError } from "@kehu/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

/** 403 unless the principal is an administrator: metadata history, impact and reverts are theirs. */
export const metaAdminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("principal")?.isAdmin)
    throw new AppError("forbidden", "Only administrators may see metadata impact and history, or revert revisions");
  await next();
};
