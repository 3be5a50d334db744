import { randomUUID } from "node:crypto";
import { asRecord, stringField } from "./body-values";
import { sapErrors } from "./sap-error";

export type Credentials = { companyDB: string; userName: string; password: string };

export type SessionConfig = {
  credentials: Credentials;
  /** SessionTimeout in minutes, an idle (sliding) timeout as clients treat it. */
  timeoutMinutes: number;
  /** Fault: a session dies after serving this many requests (the next one gets 401). */
  expireAfterRequests?: number;
  /** Behind SAP's Apache balancer a request without ROUTEID is not routed to the node that holds the session. */
  requireRouteId: boolean;
  routeId: string;
};

type Session = { id: string; lastUsed: number; requests: number };

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  /** Successful logins so far (a client re-logging in after every expiry shows here). */
  loginCount = 0;

  constructor(
    private readonly config: SessionConfig,
    private readonly clock: () => Date,
  ) {}

  get timeoutMinutes(): number {
    return this.config.timeoutMinutes;
  }

  /** Sessions currently open (a client that logs out leaves none behind). */
  get openCount(): number {
    return this.sessions.size;
  }

  get routeId(): string {
    return this.config.routeId;
  }

  login(payload: unknown): string {
    const body = asRecord(payload);
    const { companyDB, userName, password } = this.config.credentials;
    const ok =
      stringField(body, "CompanyDB") === companyDB &&
      stringField(body, "UserName") === userName &&
      stringField(body, "Password") === password;
    if (!ok) throw sapErrors.loginFailed();
    const id = randomUUID();
    this.loginCount++;
    this.sessions.set(id, { id, lastUsed: this.clock().getTime(), requests: 0 });
    return id;
  }

  logout(cookieHeader: string | undefined): void {
    const session = this.authenticate(cookieHeader, false);
    this.sessions.delete(session.id);
  }

  /** Checks B1SESSION (and ROUTEID) and slides the idle timeout; counts the request against the expiry fault. */
  authenticate(cookieHeader: string | undefined, countRequest = true): Session {
    const cookies = parseCookies(cookieHeader);
    const session = this.sessions.get(cookies.B1SESSION ?? "");
    if (!session) throw sapErrors.invalidSession();
    if (this.config.requireRouteId && cookies.ROUTEID !== this.config.routeId) throw sapErrors.invalidSession();
    const now = this.clock().getTime();
    const limit = this.config.expireAfterRequests;
    const idle = now - session.lastUsed > this.config.timeoutMinutes * 60_000;
    if (idle || (countRequest && limit !== undefined && session.requests >= limit)) {
      this.sessions.delete(session.id);
      throw sapErrors.invalidSession();
    }
    session.lastUsed = now;
    if (countRequest) session.requests++;
    return session;
  }

  /** Ends every session, as a Service Layer restart does. */
  expireAll(): void {
    this.sessions.clear();
  }
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0) cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}
