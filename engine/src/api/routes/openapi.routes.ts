import { Hono } from "hono";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";

export function openapiRoutes(_ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  return routes;
}
