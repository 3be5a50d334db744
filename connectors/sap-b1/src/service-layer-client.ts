import { ConnectorError, classifyRetry, createLimiter, type Limiter, retry } from "@kehu/connector-kit";
import { type HttpReply, HttpTransport } from "./http-transport";
import { loginFailure } from "./login-failure";
import type { ResolvedSapB1Config } from "./sap-b1-config";
import { replyError } from "./sap-error-body";
import { nextPagePath, toServicePath } from "./service-path";

export interface SlRequest {
  body?: unknown;
  /** A prepared body (e.g. multipart) sent as is, with `headers["Content-Type"]`. */
  raw?: string;
  headers?: Record<string, string>;
  /** Retried on 5xx, dropped connections, timeouts and 429; false for a POST that creates a document. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export type SlJson = Record<string, unknown>;
export interface SlPage {
  rows: SlJson[];
  /** Path of the next page relative to the service root; absent on the last page. */
  next?: string;
}

type Session = { cookie: string; generation: number };

/**
 * A Service Layer session: logs in lazily (B1SESSION and ROUTEID cookies), logs in again when SL answers 401 /
 * code 301 and replays the request in flight, bounds concurrency, and retries idempotent requests via the kit.
 */
export class ServiceLayerClient {
  readonly config: ResolvedSapB1Config;
  private readonly transport: HttpTransport;
  private readonly limit: Limiter;
  private session: Session | undefined;
  private pendingLogin: Promise<Session> | undefined;
  private generation = 0;
  /** Errors of logins that used up their retries. */
  private readonly failedLogins = new WeakSet<object>();

  constructor(config: ResolvedSapB1Config) {
    this.config = config;
    this.transport = new HttpTransport(config.timeoutMs, config.concurrency, config.tls);
    this.limit = createLimiter(config.concurrency);
  }

  get version(): "v1" | "v2" {
    return this.config.apiVersion;
  }

  /** Logs in now (check uses it); later calls reuse the session. */
  async login(signal?: AbortSignal): Promise<void> {
    await this.currentSession(signal);
  }

  async request(method: string, path: string, options: SlRequest = {}): Promise<HttpReply> {
    const once = () => this.limit(() => this.sendWithSession(method, path, options));
    if (!options.idempotent) return once();
    // A failed login was retried already (currentSession): retrying the request would retry the login attempts² times.
    const classify = (error: unknown) => (this.loginGaveUp(error) ? { retryable: false } : classifyRetry(error));
    return retry(once, { attempts: this.config.retryAttempts, signal: options.signal, classify });
  }

  /**
   * True for the error of a login that used up its retries: a caller retrying its own work (a request, a write
   * round) would only try the login that many times over, so it gives up too.
   */
  loginGaveUp(error: unknown): boolean {
    return typeof error === "object" && error !== null && this.failedLogins.has(error);
  }

  async getJson(path: string, options: Omit<SlRequest, "body" | "raw"> = {}): Promise<SlJson> {
    const reply = await this.request("GET", path, { idempotent: true, ...options });
    return parseJson(reply, `GET ${path}`);
  }

  /**
   * One page of a collection, with its nextLink in any form SL writes it. The page size is asked both ways SL
   * documents, `Prefer: odata.maxpagesize` and its own `B1S-PageSize`, so a server honouring only one still uses it.
   */
  async page(path: string, signal?: AbortSignal): Promise<SlPage> {
    const size = String(this.config.pageSize);
    const headers = { Prefer: `odata.maxpagesize=${size}`, "B1S-PageSize": size };
    const json = await this.getJson(path, { headers, signal });
    if (!Array.isArray(json.value)) {
      throw new ConnectorError("protocol", `GET ${path} did not answer a collection (no "value" array)`);
    }
    const link = json["@odata.nextLink"] ?? json["odata.nextLink"];
    const next =
      typeof link === "string" && link ? nextPagePath(path, toServicePath(link, this.config.serviceRoot)) : undefined;
    return { rows: json.value as SlJson[], next };
  }

  /** Follows nextLink (relative, rooted or absolute, options echoed or not; `odata.nextLink` or `@odata.nextLink`) page by page. */
  async *pages(path: string, signal?: AbortSignal): AsyncGenerator<SlPage> {
    let next: string | undefined = path;
    while (next) {
      const page = await this.page(next, signal);
      next = page.next;
      yield page;
    }
  }

  /** Ends the SL session (a named-user license seat) and frees the sockets. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    try {
      if (session) await this.send("POST", "Logout", { headers: { Cookie: session.cookie } });
    } catch {
      // The session times out by itself; a failed logout must not fail the run.
    } finally {
      this.transport.close();
    }
  }

  private async sendWithSession(method: string, path: string, options: SlRequest): Promise<HttpReply> {
    for (let relogins = 0; ; relogins++) {
      const session = await this.currentSession(options.signal);
      const headers = { ...options.headers, Cookie: session.cookie };
      const reply = await this.send(method, path, { ...options, headers });
      // SL answers 401 only for a missing, expired or foreign session (code 301, or no body from some builds).
      if (reply.status === 401 && relogins < 2) {
        this.invalidate(session);
        continue;
      }
      if (reply.status >= 400) throw replyError(reply, `${method} ${path.split("?")[0]}`);
      return reply;
    }
  }

  private send(method: string, path: string, options: SlRequest): Promise<HttpReply> {
    const json = options.body !== undefined && options.raw === undefined;
    return this.transport.send({
      method,
      url: new URL(path, `${this.config.serviceRoot}/`),
      headers: {
        Accept: "application/json",
        ...(json ? { "Content-Type": "application/json" } : {}),
        ...options.headers,
      },
      body: options.raw ?? (json ? JSON.stringify(options.body) : undefined),
      signal: options.signal,
    });
  }

  private currentSession(signal?: AbortSignal): Promise<Session> {
    if (this.session) return Promise.resolve(this.session);
    // One login at a time: parallel re-logins would orphan sessions (and each costs seconds on a real SL).
    this.pendingLogin ??= retry(() => this.loginOnce(), { attempts: this.config.retryAttempts, signal })
      .catch((error: unknown) => {
        if (error && typeof error === "object") this.failedLogins.add(error);
        throw error;
      })
      .finally(() => {
        this.pendingLogin = undefined;
      });
    return this.pendingLogin;
  }

  private async loginOnce(): Promise<Session> {
    const { companyDb, userName, password } = this.config;
    const reply = await this.send("POST", "Login", {
      body: { CompanyDB: companyDb, UserName: userName, Password: password },
    });
    if (reply.status !== 200) throw loginFailure(reply, this.config);
    const cookie = cookieHeader(reply);
    if (!/B1SESSION=/.test(cookie)) {
      throw new ConnectorError("protocol", "The Service Layer login answered without a B1SESSION cookie");
    }
    this.session = { cookie, generation: ++this.generation };
    return this.session;
  }

  private invalidate(session: Session): void {
    if (this.session?.generation === session.generation) this.session = undefined;
  }
}

/**
 * `B1SESSION=…; ROUTEID=.node1` from the Set-Cookie headers, in whatever order; ROUTEID keeps the balancer on the
 * session's node. A proxy may fold both cookies into one header (`B1SESSION=…;HttpOnly;, ROUTEID=.node1; path=/b1s`),
 * so a header is split at each comma that starts a new `name=` (an Expires date's comma does not).
 */
export function cookieHeader(reply: HttpReply): string {
  const setCookie = reply.headers["set-cookie"] ?? [];
  return setCookie
    .flatMap((header) => header.split(/,\s*(?=[^\s=;,]+=)/))
    .map((cookie) => cookie.split(";")[0].trim())
    .filter((pair) => pair.includes("="))
    .join("; ");
}

export function parseJson(reply: HttpReply, what: string): SlJson {
  try {
    const json = JSON.parse(reply.text) as unknown;
    if (json && typeof json === "object" && !Array.isArray(json)) return json as SlJson;
  } catch {
    // fall through to the readable error
  }
  throw new ConnectorError("protocol", `${what} answered HTTP ${reply.status} without a JSON object`, {
    status: reply.status,
  });
}
