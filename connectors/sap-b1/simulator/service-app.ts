import { Hono } from "hono";
import { executeBatch } from "./batch-executor";
import { type DispatchConfig, dispatch } from "./dispatch";
import { toHttpResponse, versionHeaders } from "./http-response";
import { SapError, type ServiceVersion, sapErrorBody, sapErrors } from "./sap-error";
import type { SessionRegistry } from "./sessions";
import type { SapStore } from "./store";

export type ServiceAppOptions = {
  store: SapStore;
  sessions: SessionRegistry;
  config: DispatchConfig;
  /** Serve only this version; the other answers 404. Both when undefined. */
  version?: ServiceVersion;
  serverVersion: Record<ServiceVersion, string>;
};

/** The Service Layer over HTTP: /b1s/v1 and /b1s/v2, Login/Logout, entity sets and $batch. Paths are case-sensitive. */
export function createServiceApp(options: ServiceAppOptions): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    const version: ServiceVersion = c.req.path.startsWith("/b1s/v2") ? "v2" : "v1";
    const sapError = error instanceof SapError ? error : new SapError(500, -1, error.message);
    return toHttpResponse(version, { status: sapError.status, json: sapErrorBody(version, sapError) });
  });
  app.all("/b1s/*", async (c) => {
    const url = new URL(c.req.url);
    const match = /^\/b1s\/(v1|v2)\/(.*)$/.exec(url.pathname);
    if (!match || (options.version && options.version !== match[1])) throw sapErrors.noResource(url.pathname);
    const version = match[1] as ServiceVersion;
    const path = match[2];
    const serviceRoot = `${url.origin}/b1s/${version}`;
    const cookie = c.req.header("cookie");
    if (path === "Login" && c.req.method === "POST")
      return login(options, version, serviceRoot, await readJson(c.req.raw));
    if (path === "Logout" && c.req.method === "POST") {
      options.sessions.logout(cookie);
      return c.body(null, 204);
    }
    options.sessions.authenticate(cookie);
    if (path === "$batch" && c.req.method === "POST") {
      const batch = executeBatch(
        { store: options.store, version, serviceRoot, config: options.config },
        await c.req.text(),
        c.req.header("content-type"),
      );
      return c.body(batch.text, batch.status as 200, { "Content-Type": batch.contentType, ...versionHeaders(version) });
    }
    const body = ["POST", "PATCH", "PUT"].includes(c.req.method) ? await readJson(c.req.raw) : undefined;
    const request = {
      method: c.req.method,
      version,
      path,
      params: url.searchParams,
      headers: c.req.raw.headers,
      body,
      serviceRoot,
    };
    return toHttpResponse(version, dispatch(options.store, request, options.config));
  });
  app.all("*", () => {
    throw sapErrors.invalidSession();
  });
  return app;
}

function login(options: ServiceAppOptions, version: ServiceVersion, serviceRoot: string, body: unknown): Response {
  const sessionId = options.sessions.login(body);
  const context =
    version === "v1"
      ? { "odata.metadata": `${serviceRoot}/$metadata#B1Sessions/@Element` }
      : { "@odata.context": `${serviceRoot}/$metadata#B1Sessions/$entity` };
  const json = {
    ...context,
    SessionId: sessionId,
    Version: options.serverVersion[version],
    SessionTimeout: options.sessions.timeoutMinutes,
  };
  const response = toHttpResponse(version, { status: 200, json });
  response.headers.append("Set-Cookie", `B1SESSION=${sessionId};HttpOnly;`);
  response.headers.append("Set-Cookie", `ROUTEID=${options.sessions.routeId}; path=/b1s`);
  return response;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw sapErrors.badRequest("The request body is not valid JSON");
  }
}
