import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type BatchSubResponse, formatBatchReply, parseBatchBody } from "./variant-sl-batch";
import { type Company, entityKeys, seedCompany } from "./variant-sl-data";
import { orderRows, parseFilter, parseQuery, type Row, selectFields } from "./variant-sl-query";

/**
 * A second, independent Service Layer for tests, written from the public facts (/work/shared/sap-b1-service-layer.md)
 * and not from connectors/sap-b1/simulator, with a switch for each documented variant a faithful implementation may
 * pick. It proves the connector codes to the protocol rather than to our simulator's choices.
 */
export interface SlVariant {
  version: "v1" | "v2";
  /** relative `Items?…&$skip=20`, rooted `/b1s/v1/Items?…`, absolute on an internal node, or `/b1s/v1/Items?$skip=20` with no other option echoed. */
  nextLink: "relative" | "rooted" | "absolute" | "skip-only";
  /** Page size from `Prefer: odata.maxpagesize`, from `B1S-PageSize` only, or always the default 20. */
  paging: "prefer" | "b1s-header" | "fixed";
  /** UpdateTime as `14:35:12`, `14:35`, or a full timestamp `1899-12-30T14:35:12Z`. */
  timeFormat: "seconds" | "minutes" | "timestamp";
  /** The server keeps UpdateTime to the minute only (`14:35:00`). */
  minuteGrain: boolean;
  /** Date fields as `2026-05-01` or `2026-05-01T00:00:00Z`. */
  dateFormat: "date" | "timestamp";
  /** Set-Cookie as two headers (B1SESSION first), two headers ROUTEID first, or one folded header. */
  cookies: "separate" | "reversed" | "folded";
  /** A created document answers 201 with the entity, or 204 with only `Location`. */
  postReply: "entity" | "no-content";
  /** Content-ID echoed on change set responses. */
  batchContentId: boolean;
  /** Login body carries `Version`. */
  loginVersion: boolean;
  /** Location of a created document as `Orders(24)` or `Orders(DocEntry=24)` (both are key forms SL accepts). */
  locationKey?: "plain" | "named" | "omitted";
  /** A reverse proxy publishes SL under this path (e.g. `/sap`); SL itself, its links and `$batch` parts know only `/b1s/vN`. */
  pathPrefix?: string;
  faults?: {
    /** A session dies after serving this many requests (401, code 301). */
    expireSessionAfter?: number;
    /** Every n-th request (Login included) is answered by the "balancer" with `failWith` instead. */
    failEvery?: number;
    failWith?: "empty500" | "html502" | "empty503";
    /** Every n-th create (POST Orders / BusinessPartners, single or in `$batch`) happens but its answer is an empty 500. */
    loseCreateEvery?: number;
  };
}

export const credentials = { CompanyDB: "SBODEMOUS", UserName: "manager", Password: "1234" };

export interface VariantServiceLayer {
  origin: string;
  data: Company;
  /** Server-local wall clock for UpdateDate/UpdateTime of writes, `YYYY-MM-DDTHH:MM:SS`. */
  clock: string;
  requests: { method: string; path: string }[];
  logins: number;
  /** Changes a row as a B1 user would, bumping its UpdateDate/UpdateTime to the clock. */
  touch(set: keyof Company, key: string | number, changes: Row): void;
  close(): Promise<void>;
}

type Handled = { status: number; body?: unknown; headers?: Record<string, string | string[]> };
type Session = { id: string; route: string; served: number };

export async function startVariantServiceLayer(variant: SlVariant): Promise<VariantServiceLayer> {
  const data = seedCompany();
  if (variant.minuteGrain) {
    for (const rows of Object.values(data) as Row[][]) {
      for (const row of rows)
        if (typeof row.UpdateTime === "string") row.UpdateTime = `${row.UpdateTime.slice(0, 5)}:00`;
    }
  }
  const sessions = new Map<string, Session>();
  const root = `/b1s/${variant.version}`;
  let requestCount = 0;
  let createCount = 0;
  const context = variant.version === "v1" ? "odata.metadata" : "@odata.context";
  const etagKey = variant.version === "v1" ? "odata.etag" : "@odata.etag";

  const sl: VariantServiceLayer = {
    origin: "",
    data,
    clock: "2026-05-01T15:00:00",
    requests: [],
    logins: 0,
    touch(set, key, changes) {
      const row = find(set, key);
      if (!row) throw new Error(`no ${set} ${key}`);
      Object.assign(row, changes, stampNow());
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const error = (status: number, code: number, message: string): Handled => ({
    status,
    body:
      variant.version === "v1"
        ? { error: { code, message: { lang: "en-us", value: message } } }
        : { error: { code: String(code), details: [{ code: "", message: "" }], message } },
  });

  function stampNow(): Row {
    const time = variant.minuteGrain ? `${sl.clock.slice(11, 16)}:00` : sl.clock.slice(11, 19);
    return { UpdateDate: sl.clock.slice(0, 10), UpdateTime: time };
  }

  function find(set: keyof Company, key: string | number): Row | undefined {
    const { key: field, int } = entityKeys[set];
    return data[set].find((row) => row[field] === (int ? Number(key) : String(key)));
  }

  /** A row as this variant writes it on the wire. */
  function serialize(row: Row): Row {
    const out: Row = {};
    for (const [field, value] of Object.entries(row)) {
      if (typeof value === "string" && /Date$/.test(field) && variant.dateFormat === "timestamp") {
        out[field] = `${value}T00:00:00Z`;
      } else if (typeof value === "string" && field === "UpdateTime") {
        out[field] =
          variant.timeFormat === "minutes"
            ? value.slice(0, 5)
            : variant.timeFormat === "timestamp"
              ? `1899-12-30T${value}Z`
              : value;
      } else if (Array.isArray(value)) {
        out[field] = value.map((line) => (line && typeof line === "object" ? serialize(line as Row) : line));
      } else out[field] = value;
    }
    return out;
  }

  function pageSizeOf(req: IncomingMessage): number {
    if (variant.paging === "prefer") {
      const asked = /odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ""))?.[1];
      if (asked) return Number(asked) || Number.POSITIVE_INFINITY;
    }
    if (variant.paging === "b1s-header" && req.headers["b1s-pagesize"]) {
      return Number(req.headers["b1s-pagesize"]) || Number.POSITIVE_INFINITY;
    }
    return 20;
  }

  function nextLink(set: string, options: Map<string, string>, skip: number): string {
    const echo = [...options]
      .filter(([name]) => name !== "$skip")
      .map(
        ([name, value]) => `${name}=${encodeURIComponent(value).replace(/%(2C|24|27|28|29|3A)/g, decodeURIComponent)}`,
      );
    const query = [...echo, `$skip=${skip}`].join("&");
    if (variant.nextLink === "skip-only") return `${root}/${set}?$skip=${skip}`;
    if (variant.nextLink === "rooted") return `${root}/${set}?${query}`;
    if (variant.nextLink === "absolute") return `https://sl-node2.internal:50000${root}/${set}?${query}`;
    return `${set}?${query}`;
  }

  function list(req: IncomingMessage, set: keyof Company, search: string): Handled {
    const options = parseQuery(search);
    const { key } = entityKeys[set];
    let rows = data[set];
    const filter = options.get("$filter");
    if (filter) {
      try {
        rows = rows.filter(parseFilter(filter));
      } catch (failure) {
        return error(400, -1000, (failure as Error).message);
      }
    }
    rows = orderRows(rows, options.get("$orderby"), key);
    const skip = Number(options.get("$skip") ?? 0);
    const top = options.has("$top") ? Number(options.get("$top")) : Number.POSITIVE_INFINITY;
    const end = Math.min(rows.length, skip + top);
    const size = pageSizeOf(req);
    const page = rows.slice(skip, Math.min(end, skip + size));
    const body: Row = {
      [context]: `https://sl.example.com:50000${root}/$metadata#${set}`,
      value: page.map((row) => {
        const selected = serialize(selectFields(row, options.get("$select")));
        // Entities with ETag support carry it in the body too (not IncomingPayments, per the manual's list).
        return set === "IncomingPayments" ? selected : { [etagKey]: `W/"${String(row[key])}"`, ...selected };
      }),
    };
    if (skip + size < end)
      body[`${variant.version === "v1" ? "" : "@"}odata.nextLink`] = nextLink(set, options, skip + size);
    return { status: 200, body };
  }

  function create(set: "Orders" | "BusinessPartners", input: Row): Handled {
    if (set === "BusinessPartners") {
      const code = String(input.CardCode ?? "");
      if (find(set, code)) {
        return error(
          400,
          -10,
          `1320000140 - Business partner code '${code}' already assigned to a business partner; enter a unique business partner code`,
        );
      }
      const row: Row = {
        CardType: "cCustomer",
        CurrentAccountBalance: 0,
        OpenOrdersBalance: 0,
        ...input,
        ...stampNow(),
      };
      data.BusinessPartners.push(row);
      return created(set, `'${code}'`, row);
    }
    const partner = find("BusinessPartners", String(input.CardCode ?? ""));
    if (!partner) return error(400, -2028, "No matching records found (ODBC -2028)");
    const lines = Array.isArray(input.DocumentLines) ? (input.DocumentLines as Row[]) : [];
    for (const [index, line] of lines.entries()) {
      const item = find("Items", String(line.ItemCode ?? ""));
      if (!item)
        return error(
          400,
          -10,
          `Item number is missing; specify an item number [DocumentLines.ItemCode][line: ${index + 1}]`,
        );
      if (Number(line.Quantity) > Number(item.QuantityOnStock)) {
        return error(400, -10, `Quantity falls into negative inventory  [DocumentLines.ItemCode][line: ${index + 1}]`);
      }
    }
    const entry = Math.max(0, ...data.Orders.map((order) => Number(order.DocEntry))) + 1;
    const documentLines = lines.map((line, index) => ({
      LineNum: index,
      ItemCode: line.ItemCode,
      Quantity: Number(line.Quantity),
      UnitPrice: Number(line.UnitPrice ?? 10),
      Price: Number(line.UnitPrice ?? 10),
      LineTotal: Number(line.Quantity) * Number(line.UnitPrice ?? 10),
      WarehouseCode: line.WarehouseCode ?? "01",
      LineStatus: "bost_Open",
      BaseType: -1,
      BaseEntry: null,
      BaseLine: null,
    }));
    const row: Row = {
      NumAtCard: null,
      Comments: null,
      ...input,
      DocEntry: entry,
      DocNum: entry + 1000,
      CardName: partner.CardName,
      DocDate: sl.clock.slice(0, 10),
      DocDueDate: sl.clock.slice(0, 10),
      DocCurrency: "$",
      DocTotal: documentLines.reduce((sum, line) => sum + line.LineTotal, 0),
      VatSum: 0,
      PaidToDate: 0,
      DocumentStatus: "bost_Open",
      Cancelled: "tNO",
      ...stampNow(),
      DocumentLines: documentLines,
    };
    data.Orders.push(row);
    return created(set, variant.locationKey === "named" ? `DocEntry=${entry}` : String(entry), row);
  }

  function created(set: string, key: string, row: Row): Handled {
    const location = `https://sl.example.com:50000${root}/${set}(${key})`;
    if (variant.postReply === "no-content") {
      const headers = { "Preference-Applied": "return-no-content" };
      return { status: 204, headers: variant.locationKey === "omitted" ? headers : { ...headers, Location: location } };
    }
    const etag = `W/"${randomUUID().replaceAll("-", "")}"`;
    return { status: 201, headers: { Location: location, ETag: etag }, body: { [etagKey]: etag, ...serialize(row) } };
  }

  function patch(set: keyof Company, key: string, input: Row): Handled {
    const row = find(set, key.replace(/^'(.*)'$/, "$1"));
    if (!row) return error(404, -2028, "No matching records found (ODBC -2028)");
    const { DocumentLines: _lines, CardCode: _code, ...header } = input;
    Object.assign(row, header, stampNow());
    return { status: 204 };
  }

  /** One entity request below the service root (also a `$batch` part); `lost` marks a create whose answer is lost. */
  function dispatch(method: string, resource: string, search: string, body: unknown, req: IncomingMessage) {
    const keyed = /^(\w+)\((.+)\)$/.exec(resource);
    const set = (keyed ? keyed[1] : resource) as keyof Company;
    if (!(set in data)) return { handled: error(404, -1, `Resource not found for the segment '${set}'.`), lost: false };
    if (method === "GET" && !keyed) return { handled: list(req, set, search), lost: false };
    if (method === "PATCH" && keyed) return { handled: patch(set, keyed[2], body as Row), lost: false };
    if (method === "POST" && !keyed && (set === "Orders" || set === "BusinessPartners")) {
      const handled = create(set, body as Row);
      const every = variant.faults?.loseCreateEvery;
      const lost = handled.status < 300 && every !== undefined && ++createCount % every === 0;
      return { handled, lost };
    }
    return { handled: error(400, -5006, "The requested action is not supported for this object."), lost: false };
  }

  function batch(req: IncomingMessage, text: string): { handled: Handled; lost: boolean } {
    let changesets: ReturnType<typeof parseBatchBody>;
    try {
      changesets = parseBatchBody(text, String(req.headers["content-type"] ?? ""));
    } catch {
      return { handled: error(400, -1000, "Incomplete Batch Request Body!"), lost: false };
    }
    const answers: { ok: boolean; responses: BatchSubResponse[] }[] = [];
    let lost = false;
    for (const requests of changesets) {
      const responses: BatchSubResponse[] = [];
      let ok = true;
      for (const sub of requests) {
        const url = new URL(sub.path, "http://sl");
        const resource = url.pathname.startsWith(`${root}/`) ? url.pathname.slice(root.length + 1) : url.pathname;
        const result = dispatch(sub.method, decodeURIComponent(resource), url.search, sub.body, req);
        lost ||= result.lost;
        const headers = Object.fromEntries(
          Object.entries(result.handled.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        responses.push({ status: result.handled.status, headers, body: result.handled.body, contentId: sub.contentId });
        if (result.handled.status >= 400) {
          ok = false;
          break;
        }
      }
      answers.push({ ok, responses: ok ? responses : responses.slice(-1) });
      // Processing stops at the first failing change set.
      if (!ok) break;
    }
    const reply = formatBatchReply(answers, variant.batchContentId);
    return {
      handled: {
        status: variant.version === "v1" ? 202 : 200,
        headers: { "Content-Type": `multipart/mixed;boundary=${reply.boundary}` },
        body: reply.body,
      },
      lost,
    };
  }

  function login(body: unknown): Handled {
    const given = (body ?? {}) as Row;
    const valid =
      given.CompanyDB === credentials.CompanyDB &&
      given.UserName === credentials.UserName &&
      given.Password === credentials.Password;
    if (!valid) return error(401, 100000027, "Login failed");
    sl.logins++;
    const id = randomUUID();
    const route = `.node${1 + (sl.logins % 3)}`;
    sessions.set(id, { id, route, served: 0 });
    const session = `B1SESSION=${id};HttpOnly;`;
    const routeCookie = `ROUTEID=${route}; path=/b1s`;
    const cookies =
      variant.cookies === "separate"
        ? [session, routeCookie]
        : variant.cookies === "reversed"
          ? [routeCookie, session]
          : `${session}, ${routeCookie}`;
    const reply: Row = {
      [context]: `https://sl.example.com:50000${root}/$metadata#B1Sessions/@Element`,
      SessionId: id,
    };
    if (variant.loginVersion) reply.Version = variant.version === "v1" ? "1000190" : "1000191";
    reply.SessionTimeout = 30;
    return { status: 200, body: reply, headers: { "Set-Cookie": cookies } };
  }

  /** The session named by both cookies; behind the balancer a request without ROUTEID lands on a node that does not know it. */
  function sessionOf(req: IncomingMessage): Session | undefined {
    const cookies = new Map(
      String(req.headers.cookie ?? "")
        .split(";")
        .map((pair) => pair.trim().split("=") as [string, string]),
    );
    const session = sessions.get(cookies.get("B1SESSION") ?? "");
    if (!session || cookies.get("ROUTEID") !== session.route) return undefined;
    const limit = variant.faults?.expireSessionAfter;
    if (limit !== undefined && session.served >= limit) {
      sessions.delete(session.id);
      return undefined;
    }
    session.served++;
    return session;
  }

  function handle(req: IncomingMessage, text: string): Handled {
    const url = new URL(req.url ?? "/", "http://sl");
    const method = req.method ?? "GET";
    sl.requests.push({ method, path: `${url.pathname}${url.search}` });
    const prefix = variant.pathPrefix ?? "";
    if (!url.pathname.startsWith(`${prefix}/`)) return { status: 404, body: "" };
    url.pathname = url.pathname.slice(prefix.length);
    const faults = variant.faults;
    if (faults?.failEvery && ++requestCount % faults.failEvery === 0)
      return balancerFault(faults.failWith ?? "empty500");
    if (!url.pathname.startsWith(`${root}/`)) return { status: 404, body: "" };
    const resource = decodeURIComponent(url.pathname.slice(root.length + 1));
    const body = text && resource !== "$batch" ? (JSON.parse(text) as unknown) : undefined;
    if (method === "POST" && resource === "Login") return login(body);
    if (!sessionOf(req)) return error(401, 301, "Invalid session or session already timeout.");
    if (method === "POST" && resource === "Logout") return { status: 204 };
    const result =
      resource === "$batch" && method === "POST" ? batch(req, text) : dispatch(method, resource, url.search, body, req);
    return result.lost ? { status: 500, body: "" } : result.handled;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let handled: Handled;
      try {
        handled = handle(req, Buffer.concat(chunks).toString("utf8"));
      } catch (failure) {
        handled = error(400, -1000, (failure as Error).message);
      }
      const headers: Record<string, string | string[]> = { ...handled.headers };
      let payload = "";
      if (typeof handled.body === "string") payload = handled.body;
      else if (handled.body !== undefined) {
        payload = JSON.stringify(handled.body);
        headers["Content-Type"] =
          `application/json;${variant.version === "v1" ? "odata=minimalmetadata;" : ""}charset=utf-8`;
      }
      if (variant.version === "v2") headers["OData-Version"] = "4.0";
      res.writeHead(handled.status, headers);
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sl.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sl;
}

function balancerFault(kind: "empty500" | "html502" | "empty503"): Handled {
  if (kind === "empty500") return { status: 500, body: "" };
  if (kind === "empty503") return { status: 503, body: "" };
  return {
    status: 502,
    headers: { "Content-Type": "text/html; charset=iso-8859-1" },
    body: '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n</p>\n</body></html>\n',
  };
}
