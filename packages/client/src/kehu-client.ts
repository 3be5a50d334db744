import type { Problem } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { adminApi } from "./admin-api";
import { KehuApiError } from "./api-error";
import type {
  AppliedEntity,
  AuditEntry,
  KehuUser,
  PlanPreview,
  RevertResult,
  RevisionEntry,
  Session,
} from "./api-types";
import { approvalApi } from "./approval-api";
import { notificationsApi } from "./notifications-api";
import { dashboardsApi, reportsApi } from "./reports-api";
import { syncApi } from "./sync-api";
import { tasksApi } from "./tasks-api";
import { tokensApi } from "./tokens-api";
import { workflowsApi } from "./workflows-api";

/** A record as the API returns it: field values plus `id` and `version`. */
export type KehuRecord = { id: string; version: number } & Record<string, unknown>;

export interface ListQuery {
  filter?: unknown;
  search?: string;
  searchMode?: "contains" | "fuzzy";
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  expand?: string[];
}

export interface ListPage {
  data: KehuRecord[];
  nextCursor: string | null;
}

export interface BulkResult {
  created: number;
  updated: number;
  ids: Array<string | null>;
  errors: Array<{ path: string; message: string }>;
}

export interface ImportOptions {
  mode?: "all-or-nothing" | "skip-invalid";
  /** A unique field: rows whose value exists update that record. */
  upsertBy?: string;
  /** Column header → field name; null leaves the column out. */
  mapping?: Record<string, string | null>;
  dryRun?: boolean;
}

/** One problem of an imported row: the sheet row (header = 1), its column and field, and what is wrong. */
export interface ImportRowError {
  row: number;
  column: string | null;
  field: string | null;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  errors: ImportRowError[];
  dryRun: boolean;
}

export interface ClientOptions {
  /** Base URL of the Kehu server, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An API token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A fetch to use instead of the global one (tests, custom agents). */
  fetch?: typeof fetch;
  /**
   * Cookie-session mode (the studio): the CSRF token sent as `x-csrf-token` on every write. `login()` and
   * `me()` set it from the server's answer.
   */
  csrfToken?: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Typed client of the Kehu HTTP API. Failed calls throw `KehuApiError` with the server's problem+json.
 *
 * @example
 * const kehu = new KehuClient({ baseUrl: "http://127.0.0.1:3000" });
 * const gold = await kehu.data("customer").list({ filter: { tier: { eq: "gold" } }, sort: "-credit" });
 */
export class KehuClient {
  private readonly fetcher: typeof fetch;
  private csrfToken: string | undefined;

  constructor(private readonly options: ClientOptions) {
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.csrfToken = options.csrfToken;
  }

  /** Sends one request and returns the parsed JSON body. */
  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const all: Record<string, string> = { accept: "application/json", ...headers };
    if (this.options.token) all.authorization = `Bearer ${this.options.token}`;
    else if (this.csrfToken && !SAFE_METHODS.has(method.toUpperCase())) all["x-csrf-token"] = this.csrfToken;
    if (body !== undefined) all["content-type"] = "application/json";
    const res = await this.fetcher(this.options.baseUrl.replace(/\/$/, "") + path, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) throw new KehuApiError(asProblem(res.status, parsed, text));
    return parsed as T;
  }

  /** Fetches a file (an export) as a Blob with its file name; failures throw `KehuApiError` like other calls. */
  async download(path: string): Promise<{ blob: Blob; fileName: string | null }> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const res = await this.fetcher(this.options.baseUrl.replace(/\/$/, "") + path, { headers });
    if (!res.ok) {
      const text = await res.text();
      throw new KehuApiError(asProblem(res.status, text ? safeJson(text) : undefined, text));
    }
    const disposition = res.headers.get("content-disposition") ?? "";
    const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
    return { blob: await res.blob(), fileName: fileName && decodeURIComponent(fileName) };
  }

  /** Posts a file as multipart form data (an import); failures throw `KehuApiError` like other calls. */
  async upload<T>(path: string, file: Blob, fileName: string): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    else if (this.csrfToken) headers["x-csrf-token"] = this.csrfToken;
    const form = new FormData();
    form.append("file", file, fileName);
    const res = await this.fetcher(this.options.baseUrl.replace(/\/$/, "") + path, {
      method: "POST",
      headers,
      body: form,
    });
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) throw new KehuApiError(asProblem(res.status, parsed, text));
    return parsed as T;
  }

  /** Opens a streaming GET (server-sent events); a refusal throws `KehuApiError` like other calls. */
  async openStream(path: string, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const res = await this.fetcher(this.options.baseUrl.replace(/\/$/, "") + path, { headers, signal });
    if (!res.ok) {
      const text = await res.text();
      throw new KehuApiError(asProblem(res.status, text ? safeJson(text) : undefined, text));
    }
    return res;
  }

  /** Cookie-session login and the current user; the CSRF token of the session is kept for later writes. */
  get auth() {
    const keep = (s: { user: KehuUser; csrfToken: string | null }): Session => {
      this.csrfToken = s.csrfToken ?? undefined;
      return { user: s.user, csrfToken: s.csrfToken };
    };
    return {
      login: async (login: string, password: string) =>
        keep(await this.request<Session>("POST", "/api/auth/login", { login, password })),
      me: async () => keep(await this.request<Session>("GET", "/api/auth/me")),
      logout: async () => {
        await this.request<void>("POST", "/api/auth/logout");
        this.csrfToken = undefined;
      },
    };
  }

  /** The admin API (administrators only): users, departments, roles, permissions, the explainer, ownership. */
  get admin() {
    return adminApi((method, path, body) => this.request(method, path, body));
  }

  /** The caller's user-task inbox: list, claim, complete with form data and an outcome, delegate, comment. */
  get tasks() {
    return tasksApi((method, path, body) => this.request(method, path, body));
  }

  /** The caller's notifications and reminders: list with the unread count, mark read. */
  get notifications() {
    return notificationsApi((method, path, body) => this.request(method, path, body));
  }

  /** Workflow instances, their history, start, cancel and retry. */
  get workflows() {
    return workflowsApi((method, path, body) => this.request(method, path, body));
  }

  /** The sync monitor's API (administrators): connectors, connections, runs with live progress, failures, conflicts. */
  get sync() {
    return syncApi(
      (method, path, body) => this.request(method, path, body),
      (path, signal) => this.openStream(path, signal),
    );
  }

  /** Approval matrices, substitutes and dry runs (administrators only). */
  get approvals() {
    return approvalApi((method, path, body) => this.request(method, path, body));
  }

  /** Saved and ad-hoc reports, run as the caller; administrators save them and may see their SQL. */
  get reports() {
    return reportsApi((method, path, body) => this.request(method, path, body));
  }

  /** Dashboards and their reports' rows, run as the caller. */
  get dashboards() {
    return dashboardsApi((method, path, body) => this.request(method, path, body));
  }

  /** The caller's own API tokens. */
  get tokens() {
    return tokensApi((method, path, body) => this.request(method, path, body));
  }

  /** The audit trail of one record, newest first. */
  audit(entity: string, record: string, opts: { limit?: number; before?: string } = {}) {
    const q = new URLSearchParams({ entity, record });
    if (opts.limit !== undefined) q.set("limit", String(opts.limit));
    if (opts.before) q.set("before", opts.before);
    return this.request<{ data: AuditEntry[]; nextCursor: string | null }>("GET", `/api/audit?${q}`);
  }

  /** Records of one entity. */
  data(entity: string) {
    const base = `/api/data/${encodeURIComponent(entity)}`;
    const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
    const client = this;
    const versionHeader = (version?: number): Record<string, string> =>
      version === undefined ? {} : { "if-match": `"${version}"` };
    return {
      list: (query: ListQuery = {}) => this.request<ListPage>("GET", `${base}${listQueryString(query)}`),
      get: (id: string, opts: { fields?: string[]; expand?: string[] } = {}) =>
        this.request<KehuRecord>("GET", `${one(id)}${listQueryString(opts)}`),
      create: (record: Record<string, unknown>) => this.request<KehuRecord>("POST", base, record),
      update: (id: string, patch: Record<string, unknown>, version?: number) =>
        this.request<KehuRecord>("PATCH", one(id), patch, versionHeader(version)),
      remove: (id: string, version?: number) =>
        this.request<KehuRecord>("DELETE", one(id), undefined, versionHeader(version)),
      restore: (id: string) => this.request<KehuRecord>("POST", `${one(id)}/restore`),
      bulk: (records: Array<Record<string, unknown>>, opts: { upsertBy?: string; atomic?: boolean } = {}) =>
        this.request<BulkResult>("POST", `${base}/bulk`, { records, ...opts }),
      /**
       * Imports a CSV or XLSX file; skip-invalid keeps the good rows and reports the bad ones, all-or-nothing
       * refuses the whole file (a 422 whose `errors` are the same row errors).
       */
      import: (file: Blob, fileName: string, opts: ImportOptions = {}) => {
        const q = new URLSearchParams();
        if (opts.mode) q.set("mode", opts.mode);
        if (opts.upsertBy) q.set("upsertBy", opts.upsertBy);
        if (opts.mapping) q.set("mapping", JSON.stringify(opts.mapping));
        if (opts.dryRun) q.set("dryRun", "1");
        const s = q.toString();
        return this.upload<ImportResult>(`${base}/import${s ? `?${s}` : ""}`, file, fileName);
      },
      /** Every record matching the query, page by page. */
      async *all(query: Omit<ListQuery, "cursor"> = {}): AsyncGenerator<KehuRecord> {
        let cursor: string | undefined;
        do {
          const page = await client.request<ListPage>("GET", `${base}${listQueryString({ ...query, cursor })}`);
          yield* page.data;
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      },
    };
  }

  /** Entity definitions. `dryRun` returns the migration plan without applying it. */
  get entities() {
    const base = "/api/meta/entities";
    const flags = (o: { dryRun?: boolean; confirm?: boolean }) => {
      const q = new URLSearchParams();
      if (o.dryRun) q.set("dryRun", "1");
      if (o.confirm) q.set("confirm", "1");
      const s = q.toString();
      return s ? `?${s}` : "";
    };
    return {
      list: async () => (await this.request<{ data: EntityDefinition[] }>("GET", base)).data,
      get: (name: string) =>
        this.request<{ definition: EntityDefinition; revision: number }>("GET", `${base}/${encodeURIComponent(name)}`),
      /** The migration plan of creating (`isNew`) or changing an entity; nothing is applied. */
      preview: (definition: EntityDefinition, isNew: boolean) =>
        isNew
          ? this.request<PlanPreview>("POST", `${base}?dryRun=1`, definition)
          : this.request<PlanPreview>("PUT", `${base}/${encodeURIComponent(definition.name)}?dryRun=1`, definition),
      /** Applies a definition (creating it when `isNew`); `confirm` allows destructive steps. */
      apply: (definition: EntityDefinition, isNew: boolean, o: { confirm?: boolean } = {}) =>
        isNew
          ? this.request<AppliedEntity>("POST", base, definition)
          : this.request<AppliedEntity>("PUT", `${base}/${encodeURIComponent(definition.name)}${flags(o)}`, definition),
      revisions: (name: string) =>
        this.request<{ data: RevisionEntry[] }>("GET", `${base}/${encodeURIComponent(name)}/revisions`),
      /** One revision with its diff and the definitions before and after (administrators). */
      revision: (id: number) => this.request<RevisionEntry>("GET", `/api/meta/revisions/${id}`),
      /** Undoes a revision as a new one; `dryRun` returns the plan, `confirm` allows its destructive steps. */
      revert: (id: number, o: { dryRun?: boolean; confirm?: boolean } = {}) =>
        this.request<RevertResult>("POST", `/api/meta/revisions/${id}/revert${flags(o)}`),
      create: (definition: EntityDefinition, o: { dryRun?: boolean } = {}) =>
        this.request<unknown>("POST", `${base}${flags(o)}`, definition),
      update: (definition: EntityDefinition, o: { dryRun?: boolean; confirm?: boolean } = {}) =>
        this.request<unknown>("PUT", `${base}/${encodeURIComponent(definition.name)}${flags(o)}`, definition),
      remove: (name: string, o: { dryRun?: boolean; confirm?: boolean } = {}) =>
        this.request<unknown>("DELETE", `${base}/${encodeURIComponent(name)}${flags(o)}`),
      schema: (name: string, kind: "create" | "patch" | "read" = "create") =>
        this.request<Record<string, unknown>>("GET", `${base}/${encodeURIComponent(name)}/schema?kind=${kind}`),
    };
  }
}

/** The query string of a list query (`?filter=...&sort=...`), also for exports of the same records. */
export function listQueryString(query: ListQuery): string {
  const q = new URLSearchParams();
  if (query.filter !== undefined) q.set("filter", JSON.stringify(query.filter));
  if (query.search) q.set("search", query.search);
  if (query.searchMode) q.set("searchMode", query.searchMode);
  if (query.sort) q.set("sort", query.sort);
  if (query.limit !== undefined) q.set("limit", String(query.limit));
  if (query.cursor) q.set("cursor", query.cursor);
  if (query.fields?.length) q.set("fields", query.fields.join(","));
  if (query.expand?.length) q.set("expand", query.expand.join(","));
  const s = q.toString();
  return s ? `?${s}` : "";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asProblem(status: number, body: unknown, text: string): Problem {
  if (body && typeof body === "object" && "status" in body && "title" in body) return body as Problem;
  return { type: "about:blank", title: `HTTP ${status}`, status, detail: text.slice(0, 500) || undefined };
}
