import { AppError } from "@kehu/core";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../api/app-env";
import { problemResponse } from "../api/problem-response";
import type { EngineContext } from "../engine-context";
import { tokenPrincipal } from "./api-tokens";
import { cachedPrincipal, cachePrincipal } from "./principal-cache";
import { sameSecret } from "./secret-tokens";
import { SESSION_COOKIE, sessionPrincipal } from "./sessions";

export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const sessions = new WeakMap<Request, { id: string; csrfToken: string }>();

/** The session a request was authenticated by (undefined for API tokens). */
export function sessionOf(c: Context<AppEnv>): { id: string; csrfToken: string } | undefined {
  return sessions.get(c.req.raw);
}

/** Paths under /api anyone may call: login, and the API description. */
export function isPublicPath(path: string): boolean {
  return (
    path === "/api/auth/login" || path === "/api/openapi.json" || path === "/api/docs" || path.startsWith("/api/docs/")
  );
}

/**
 * Sets `principal` and `actor` from a bearer API token or the session cookie; 401 without valid
 * credentials, 403 for a cookie write without the CSRF token or a token used beyond its scope.
 */
export function authenticate(ctx: EngineContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer) {
      let principal = cachedPrincipal(bearer);
      if (!principal) {
        principal = await tokenPrincipal(ctx.db.knex, bearer);
        if (!principal) return challenge(c, "The API token is not valid (unknown, revoked, or its user is inactive)");
        cachePrincipal(bearer, principal);
      }
      checkTokenScope(c, principal.token);
      c.set("principal", principal);
      c.set("actor", principal.login);
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const session = cookie ? await sessionPrincipal(ctx.db.knex, cookie) : undefined;
    if (!session) return challenge(c, cookie ? "The session has expired; log in again" : "Log in or send an API token");
    if (!SAFE_METHODS.has(c.req.method) && !sameSecret(c.req.header(CSRF_HEADER) ?? "", session.csrfToken))
      throw new AppError("forbidden", `Send the ${CSRF_HEADER} header (from login or /api/auth/me) with every change`);
    c.set("principal", session.principal);
    c.set("actor", session.principal.login);
    sessions.set(c.req.raw, { id: session.sessionId, csrfToken: session.csrfToken });
    return next();
  };
}

/** 401 problem+json with the challenge header (a thrown error would lose the header). */
function challenge(c: Context<AppEnv>, message: string): Response {
  const response = problemResponse(new AppError("unauthorized", message), c.req.path);
  response.headers.set("WWW-Authenticate", 'Bearer realm="kehu"');
  return response;
}

function checkTokenScope(
  c: Context<AppEnv>,
  token: { access: "read" | "write"; entities: string[] | null } | undefined,
) {
  if (!token) return;
  if (token.access === "read" && !SAFE_METHODS.has(c.req.method))
    throw new AppError("forbidden", "This API token is read-only");
  if (!token.entities) return;
  const entity = /^\/api\/data\/([^/]+)/.exec(c.req.path)?.[1];
  if (entity !== undefined && !token.entities.includes(decodeURIComponent(entity)))
    throw new AppError("forbidden", `This API token may not use the entity "${decodeURIComponent(entity)}"`);
}
