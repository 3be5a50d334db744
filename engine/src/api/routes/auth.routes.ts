import { getConnInfo } from "@hono/node-server/conninfo";
import { AppError, isAppError } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { EngineContext } from "../../engine-context";
import { createApiToken, listApiTokens, parseTokenRequest, revokeApiToken } from "../../security/api-tokens";
import { sessionOf } from "../../security/authenticate";
import { logIn, parseLoginBody } from "../../security/login";
import { forgetCachedPrincipals } from "../../security/principal-cache";
import { deleteSession, SESSION_COOKIE, SESSION_IDLE_MS } from "../../security/sessions";
import { getUser } from "../../security/users";
import type { AppEnv } from "../app-env";
import { problemResponse } from "../problem-response";
import { readJsonBody } from "../read-json-body";

/** `/api/auth`: log in and out, who am I, and the caller's own API tokens. */
export function authRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;

  routes.post("/login", async (c) => {
    const { login, password } = parseLoginBody(await readJsonBody(c));
    const address = clientAddress(c);
    let session: Awaited<ReturnType<typeof logIn>>;
    try {
      session = await logIn(knex, login, password, address);
    } catch (e) {
      if (isAppError(e)) ctx.logger.warn({ login, address, reason: e.code }, "login refused");
      if (!isAppError(e) || e.code !== "rate_limited") throw e;
      const response = problemResponse(e, c.req.path);
      response.headers.set("Retry-After", String(e.extra.retryAfter));
      return response;
    }
    setCookie(c, SESSION_COOKIE, session.secret, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: overTls(c),
      maxAge: SESSION_IDLE_MS / 1000,
    });
    ctx.logger.info({ login, address }, "login");
    const user = await getUser(knex, session.userId);
    return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  routes.post("/logout", async (c) => {
    const session = sessionOf(c);
    if (session) await deleteSession(knex, session.id);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: overTls(c) });
    return c.body(null, 204);
  });

  routes.get("/me", async (c) => {
    const principal = c.get("principal");
    const user = await getUser(knex, principal.userId);
    return c.json({
      user,
      channel: principal.channel,
      csrfToken: sessionOf(c)?.csrfToken ?? null,
      token: principal.token ?? null,
    });
  });

  routes.post("/tokens", async (c) => {
    const request = parseTokenRequest(await readJsonBody(c), ctx.registry);
    const limit = c.get("principal").token?.entities;
    // A token limited to some entities must not mint one that reaches further.
    if (limit && (!request.entities || request.entities.some((e) => !limit.includes(e))))
      throw new AppError("forbidden", "A token limited to some entities can only create tokens limited to those");
    const created = await createApiToken(knex, c.get("principal").userId, request);
    ctx.logger.info(
      { login: c.get("principal").login, tokenId: created.id, access: created.access },
      "API token created",
    );
    c.header("cache-control", "no-store");
    return c.json(created, 201);
  });

  routes.get("/tokens", async (c) => c.json({ data: await listApiTokens(knex, c.get("principal").userId) }));

  routes.delete("/tokens/:id", async (c) => {
    await revokeApiToken(knex, c.get("principal").userId, c.req.param("id"));
    forgetCachedPrincipals();
    ctx.logger.info({ login: c.get("principal").login, tokenId: c.req.param("id") }, "API token revoked");
    return c.body(null, 204);
  });

  return routes;
}

/** The socket's peer address (proxies are not trusted to name it). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** True when the request came over https, directly or through a TLS-terminating proxy. */
function overTls(c: Context): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(c.req.url).protocol === "https:";
}
