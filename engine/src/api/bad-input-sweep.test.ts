import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicPath } from "../security/authenticate";
import {
  COMMON_QUERY_PARAMS,
  JUNK_BODIES,
  JUNK_CONTENT_TYPES,
  JUNK_PATH_VALUES,
  JUNK_QUERY_VALUES,
  schemaResolver,
  wrongFieldBodies,
  wrongPartBodies,
} from "../testing/bad-inputs";
import { defineEntities } from "../testing/define-entities";
import { sampleContact, sampleCustomer } from "../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { createTestDepartment, createTestRole, createTestUser } from "../testing/test-users";
import { bpmnXml, chain } from "../workflow/test-bpmn";

/**
 * Every route of the app (read from `app.routes`, so a new route is swept without being listed here) gets bad input as
 * the admin: junk path parameters, junk query values, bodies that are not JSON objects, bodies with one documented
 * field of the wrong kind, and unknown content types. None may answer 5xx; every 4xx is problem+json that names the
 * problem without SQL or a stack trace. Without credentials, every non-public route answers 401.
 */

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is walked path by path
type Doc = any;
interface Route {
  method: string;
  path: string;
}
interface Failure {
  route: string;
  input: string;
  status: number;
  body: string;
}

const LEAK =
  /\bselect\s|insert into|\bupdate\s+"?\w+"?\s+set\b|delete from|violates|\bat Object\.|\n\s+at |node_modules|\.[jt]s:\d+/i;

/** A phase sends hundreds to thousands of requests: about 20 s on a loaded machine, more than the default timeout. */
const SWEEP_TIMEOUT = 120_000;

/** Tables a refused request writes to on purpose: a wrong password is counted, to slow down guessing. */
const WRITTEN_WHEN_REFUSED = new Set(["kehu.login_failures"]);

const customer = {
  name: "Acme",
  tier: "gold",
  credit: { amount: "120000.50", currency: "CNY" },
  employees: 42,
  rating: "4.5",
  active: true,
  founded: "2001-09-30",
  last_contact: "2026-11-20T08:30:00.000Z",
  tags: ["vip", "new"],
  email: "info@example.cn",
  phone: "+86 21 5555 0101",
  website: "https://example.cn/about",
  notes: "line one",
  extra: { source: "fair", scores: [1, 2] },
};
const reportQuery = {
  entity: "customer",
  filter: { and: [{ tier: { ne: "potential" } }, { employees: { between: [1, 100] } }] },
  groupBy: ["tier"],
  measures: [
    { fn: "count", as: "customers" },
    { fn: "sum", field: "employees", as: "staff" },
  ],
  sort: "tier",
};
const report = {
  label: { en: "By tier", zh: "按等级" },
  query: reportQuery,
  chart: { type: "bar", x: "tier", series: ["staff"] },
};

const reviewForm = `<extensionElements>
  <camunda:properties><camunda:property name="outcomes" value="approve,reject"/></camunda:properties>
  <camunda:formData><camunda:formField id="discount" label="Discount" type="long">
    <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="min" config="0"/><camunda:constraint name="max" config="30"/></camunda:validation>
  </camunda:formField></camunda:formData></extensionElements>`;
/** A workflow with one user task of the admin's, so that task and instance routes have something to act on. */
const reviewXml = bpmnXml(
  `<startEvent id="s"/><userTask id="review" name="Review" camunda:assignee="system">${reviewForm}</userTask><endEvent id="e"/>${chain("s", "review", "e")}`,
);

/**
 * Bodies the routes accept, by route: each part of one is made wrong in turn (`wrongPartBodies`), which reaches the
 * checks behind a route's first ones. Routes without one get bodies made from their OpenAPI schema.
 */
const VALID_BODIES: Record<string, unknown> = {
  "POST /api/data/:entity": customer,
  "PATCH /api/data/:entity/:id": customer,
  "POST /api/data/:entity/bulk": {
    records: [{ name: "Bulk", code: "B-1", employees: 1, credit: { amount: "1.00", currency: "CNY" } }],
    upsertBy: "code",
  },
  "POST /api/meta/entities": {
    name: "widget",
    label: { en: "Widget", zh: "部件" },
    titleField: "title",
    fields: [
      { name: "title", type: "text", required: true, max: 50 },
      { name: "kind", type: "enum", values: ["a", "b"], default: "a" },
      { name: "owner", type: "reference", target: "customer", onDelete: "setNull" },
      { name: "size", type: "decimal", precision: 8, scale: 2 },
    ],
    indexes: [{ fields: ["title", "kind"], unique: true }],
  },
  "PUT /api/meta/entities/:name": { name: "gadget", fields: [{ name: "label", type: "text", max: 80 }] },
  "PUT /api/meta/forms/:entity/:name": {
    entity: "gadget",
    name: "swept",
    role: null,
    label: { en: "Gadget" },
    sections: [{ title: { en: "Main" }, columns: 2, fields: [{ field: "label" }] }],
  },
  "POST /api/reports/query": reportQuery,
  "PUT /api/reports/:key": report,
  "PUT /api/dashboards/:key": { label: { en: "Swept" }, reports: ["swept"] },
  "POST /api/admin/currencies": { code: "XAU", label: { en: "Gold", zh: "黄金" }, decimals: 4, rounding: "half_even" },
  "POST /api/admin/exchange-rates": { currency: "USD", validFrom: "2024-01-01", rate: "7.1" },
  "POST /api/workflows/deployments": { key: "reviewed", name: "Reviewed", xml: reviewXml },
  "POST /api/workflows/:key/instances": { variables: { customer: "ACME", amount: 5 }, businessKey: "B-1" },
  "POST /api/workflows/substitutes": {
    user: "swept",
    substitute: "system",
    from: "2030-03-01T00:00:00Z",
    to: "2030-03-10T00:00:00Z",
    reason: "holiday",
  },
  "POST /api/tasks/:id/complete": { discount: 5, outcome: "approve" },
  "PUT /api/workflows/settings": { scriptsEnabled: false, httpAllowedHosts: ["example.cn"] },
  "POST /api/sync/connections": {
    name: "erp",
    label: "ERP",
    connector: "sap-b1",
    schedule: "0 * * * *",
    config: { baseUrl: "http://127.0.0.1:9", companyDb: "SBO", userName: "manager", password: "s3cret" },
  },
  "POST /api/sync/mappings": {
    name: "erp_partners",
    connection: "swept",
    stream: "business_partners",
    entity: "customer",
    direction: "pull",
    key: { external: ["CardCode"], entity: "code" },
    fields: {
      code: "CardCode",
      name: "CardName",
      tier: { valueMap: { field: "GroupCode", map: { "100": "gold" }, default: "general" } },
      credit: { money: { amount: "CreditLimit", currency: "Currency", defaultCurrency: "CNY" } },
    },
  },
};

let engine: TestEngine;
let doc: Doc;
let resolve: (schema: Doc) => Doc;
const good: Record<string, string> = {};

// Sync connections keep their password encrypted with this key (else a key file would be made in the working folder).
const secretKeyBefore = process.env.KEHU_SECRET_KEY;
beforeAll(async () => {
  process.env.KEHU_SECRET_KEY = randomBytes(32).toString("base64");
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    sampleCustomer,
    sampleContact,
    { name: "gadget", fields: [{ name: "label", type: "text" }] },
  ]);
  good.record = (await engine.http("/api/data/customer", { method: "POST", body: { name: "Swept" } })).body.id;
  good.user = (await createTestUser(engine.ctx, { login: "swept" })).id;
  good.department = (await createTestDepartment(engine.ctx, { name: "Swept" })).id;
  good.role = (await createTestRole(engine.ctx, { name: "Swept" })).id;
  for (const [path, body] of [
    ["/api/reports/swept", report],
    ["/api/dashboards/swept", VALID_BODIES["PUT /api/dashboards/:key"]],
    ["/api/meta/forms/gadget/swept", VALID_BODIES["PUT /api/meta/forms/:entity/:name"]],
  ] as const)
    expect((await engine.http(path, { method: "PUT", body })).status).toBe(201);
  const connection = { ...(VALID_BODIES["POST /api/sync/connections"] as object), name: "swept" };
  VALID_BODIES["PUT /api/sync/connections/:name"] = connection;
  expect((await engine.http("/api/sync/connections", { method: "POST", body: connection })).status).toBe(201);
  const mapping = {
    ...(VALID_BODIES["POST /api/sync/mappings"] as object),
    name: "swept",
    stream: "items",
    key: { external: ["ItemCode"], entity: "code" },
    fields: { code: "ItemCode", name: "ItemName" },
  };
  expect((await engine.http("/api/sync/mappings", { method: "POST", body: mapping })).status).toBe(201);
  VALID_BODIES["PUT /api/sync/mappings/:name"] = mapping;
  expect(
    (await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "swept", xml: reviewXml } }))
      .status,
  ).toBe(201);
  // Two instances: one whose task the task routes act on, one the instance routes may cancel.
  const start = async () =>
    (await engine.http("/api/workflows/swept/instances", { method: "POST", body: { variables: {} } })).body.id;
  const [withTask, instance] = [await start(), await start()];
  good.instance = instance;
  good.task = (await engine.ctx.db.knex("kehu.wf_tasks").where({ instance_id: withTask }).first("id")).id;
  doc = (await engine.http("/api/openapi.json")).body;
  resolve = schemaResolver(doc);
});
afterAll(async () => {
  await engine?.close();
  if (secretKeyBefore === undefined) delete process.env.KEHU_SECRET_KEY;
  else process.env.KEHU_SECRET_KEY = secretKeyBefore;
});

/** The app's routes with a handler (middleware is mounted as ALL), deletes last so that they remove nothing swept. */
function routes(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of engine.app.routes)
    if (method !== "ALL" && path.startsWith("/api/")) seen.set(`${method} ${path}`, { method, path });
  return [...seen.values()].sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
}

const paramNames = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

/** A usable value for a path parameter, so that a sweep of one part of a route reaches past the others. */
function goodParam(path: string, name: string): string {
  if (path.startsWith("/api/data/")) return name === "id" ? good.record : "customer";
  if (path.startsWith("/api/meta/entities/") || (path.startsWith("/api/meta/forms/") && name === "entity"))
    return "gadget";
  if (path.startsWith("/api/admin/users/")) return good.user;
  if (path.startsWith("/api/admin/departments/")) return good.department;
  if (path.startsWith("/api/admin/roles/")) return good.role;
  // Checking a connection calls out to its system (with retries): the sweep checks one that does not exist.
  if (path === "/api/sync/connections/:name/check") return "unknown";
  if (path.startsWith("/api/tasks/")) return good.task;
  if (path.startsWith("/api/workflows/instances/")) return good.instance;
  if (name === "code") return "EUR";
  if (name === "version") return "1";
  if (name === "id" || name === "instanceId") return "00000000-0000-4000-8000-00000000abcd";
  return "swept";
}

function fill(route: Route, override: Record<string, string> = {}): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(override[name] ?? goodParam(route.path, name)),
  );
}

/** The OpenAPI operation of a route (record routes are documented per entity, as `customer`). */
function operationOf(route: Route): Doc {
  const path = (route.path.startsWith("/api/data/") ? route.path.replace(":entity", "customer") : route.path).replace(
    /:(\w+)/g,
    "{$1}",
  );
  const item = doc.paths[path] ?? {};
  const op = item[route.method.toLowerCase()] ?? {};
  return { ...op, parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve) };
}

/** Body fields that must repeat the path (`PUT /api/reports/:key` with `{key}`), as the path has them. */
function pathFields(route: Route): Record<string, string> {
  if (route.path.startsWith("/api/data/")) return {};
  return Object.fromEntries(paramNames(route.path).map((name) => [name, goodParam(route.path, name)]));
}

/** Bodies with one wrong part: from the route's valid body when there is one, else from its schema. */
function bodiesFor(route: Route, schema: Doc): { label: string; body: unknown }[] {
  const valid = VALID_BODIES[`${route.method} ${route.path}`];
  // A completed task takes no more input: its valid completion is left out, and the wrong discounts go first (a
  // completion without an outcome may be valid, and ends the task).
  if (valid !== undefined && route.path === "/api/tasks/:id/complete") return wrongPartBodies(valid).slice(1);
  if (valid !== undefined) return wrongPartBodies(valid);
  return schema ? wrongFieldBodies(schema, resolve, pathFields(route)) : [];
}

const takesBody = (route: Route) => ["POST", "PUT", "PATCH", "DELETE"].includes(route.method);

async function send(
  method: string,
  path: string,
  init: { body?: string; contentType?: string; headers?: Record<string, string>; anonymous?: boolean } = {},
): Promise<{ status: number; contentType: string; text: string }> {
  const headers: Record<string, string> = { ...init.headers };
  if (!init.anonymous) headers.authorization = `Bearer ${engine.admin.token}`;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const res = await fetch(engine.server.url + path, { method, headers, body: init.body });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** What is wrong with an answer to bad input, or undefined when it is a 2xx/3xx or a proper problem. */
function fault(res: { status: number; contentType: string; text: string }): string | undefined {
  if (res.status >= 500) return "5xx";
  if (res.status < 400) return undefined;
  if (!res.contentType.startsWith("application/problem+json")) return `content-type ${res.contentType}`;
  let problem: Doc;
  try {
    problem = JSON.parse(res.text);
  } catch {
    return "body is not JSON";
  }
  if (typeof problem.title !== "string" || problem.status !== res.status) return "no title or status";
  if (typeof problem.detail !== "string" && !Array.isArray(problem.errors)) return "neither detail nor errors";
  if (LEAK.test(res.text)) return "leaks internals";
  return undefined;
}

/** Row counts of every table, to show that a refused write left nothing behind. */
async function rowCounts(): Promise<Map<string, number>> {
  const knex = engine.ctx.db.knex;
  const { rows: tables } = await knex.raw(
    "SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname IN ('kehu', 'data') ORDER BY 1",
  );
  const counts = tables.map(
    ({ name }: { name: string }) => `SELECT '${name}' AS name, count(*)::int AS n FROM ${name.replace(".", '."')}"`,
  );
  const { rows } = await knex.raw(counts.join(" UNION ALL "));
  return new Map(rows.map((r: { name: string; n: number }) => [r.name, r.n]));
}

/**
 * The id the next writing transaction will get: unchanged means that nothing was written (a transaction gets an id
 * with its first write), so the tables need counting only when it moved.
 */
async function nextTransactionId(): Promise<string> {
  const { rows } = await engine.ctx.db.knex.raw("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid");
  return rows[0].xid;
}

function changedTables(before: Map<string, number>, after: Map<string, number>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name) && !WRITTEN_WHEN_REFUSED.has(name));
}

/** Sends each case and collects the answers that break the rule, and refused writes that changed a table. */
async function sweep(
  cases: { route: Route; input: string; path: string; init?: Parameters<typeof send>[2] }[],
): Promise<Failure[]> {
  const failures: Failure[] = [];
  let counts = await rowCounts();
  let lastXid = await nextTransactionId();
  let stale = false;
  for (const c of cases) {
    const writes = c.route.method !== "GET";
    if (writes && stale) [counts, lastXid, stale] = [await rowCounts(), await nextTransactionId(), false];
    const res = await send(c.route.method, c.path, c.init);
    let problem = fault(res);
    // A valid body that is refused would leave its wrong-part variants stopped at the same first check.
    if (c.input === "body valid" && res.status >= 300) problem = "the valid body was refused";
    // Reads are not counted after, only before the next write (a read may note something, such as a token's use).
    stale ||= !writes;
    const xid = writes ? await nextTransactionId() : lastXid;
    if (xid !== lastXid) {
      const after = await rowCounts();
      const changed = res.status >= 400 ? changedTables(counts, after) : [];
      if (!problem && changed.length) problem = `refused but wrote to ${changed.join(", ")}`;
      counts = after;
      lastXid = xid;
    }
    if (problem)
      failures.push({
        route: `${c.route.method} ${c.route.path}`,
        input: c.input,
        status: res.status,
        body: `${problem}: ${res.text.slice(0, 300)}`,
      });
  }
  return failures;
}

describe("bad input to any route", () => {
  it("sweeps more than a hundred routes, found in the app", () => {
    expect(routes().length).toBeGreaterThan(100);
  });

  it("answers 401 problem+json on every non-public route without credentials", async () => {
    const failures: Failure[] = [];
    for (const route of routes()) {
      const path = fill(route);
      if (isPublicPath(path)) continue;
      const res = await send(route.method, path, { anonymous: true, body: takesBody(route) ? "{}" : undefined });
      if (res.status !== 401 || fault(res))
        failures.push({
          route: `${route.method} ${route.path}`,
          input: "no credentials",
          status: res.status,
          body: res.text.slice(0, 200),
        });
    }
    expect(failures).toEqual([]);
  });

  it(
    "refuses junk path parameters with a 4xx problem",
    async () => {
      const cases = routes().flatMap((route) =>
        paramNames(route.path).flatMap((name) =>
          [...JUNK_PATH_VALUES, "%E0%A4%A"].map((value) => ({
            route,
            input: `:${name}=${JSON.stringify(value.slice(0, 40))}`,
            path:
              value === "%E0%A4%A"
                ? fill(route, { [name]: "@@" }).replace(encodeURIComponent("@@"), value)
                : fill(route, { [name]: value }),
            init: takesBody(route) ? { body: "{}" } : undefined,
          })),
        ),
      );
      expect(await sweep(cases)).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "refuses junk query values with a 4xx problem",
    async () => {
      const cases = routes().flatMap((route) => {
        const init = takesBody(route) ? { body: "{}" } : undefined;
        const documented: string[] = operationOf(route)
          .parameters.filter((p: Doc) => p?.in === "query")
          .map((p: Doc) => p.name);
        // Undocumented list parameters go together, to keep the sweep quick on routes that ignore them.
        const common = route.method === "GET" ? COMMON_QUERY_PARAMS.filter((name) => !documented.includes(name)) : [];
        return [
          ...documented.flatMap((name) =>
            JUNK_QUERY_VALUES.map((value) => ({
              route,
              input: `?${name}=${JSON.stringify(value.slice(0, 40))}`,
              path: `${fill(route)}?${name}=${encodeURIComponent(value)}`,
              init,
            })),
          ),
          ...(common.length ? ["-1", "1e9", "garbage"] : []).map((value) => ({
            route,
            input: `?${common.join("&")}=${value}`,
            path: `${fill(route)}?${common.map((name) => `${name}=${value}`).join("&")}`,
            init,
          })),
        ];
      });
      expect(await sweep(cases)).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "refuses bodies that are not the documented JSON object with a 4xx problem",
    async () => {
      const cases = routes()
        .filter(takesBody)
        .flatMap((route) => {
          const path = fill(route);
          const schema = operationOf(route).requestBody?.content?.["application/json"]?.schema;
          return [
            ...JUNK_BODIES.map(({ label, text }) => ({ route, input: `body ${label}`, path, init: { body: text } })),
            ...JUNK_CONTENT_TYPES.map((type) => ({
              route,
              input: `content-type ${type}`,
              path,
              init: { body: "{}", contentType: type },
            })),
            ...bodiesFor(route, schema).map(({ label, body }) => ({
              route,
              input: `body ${label}`,
              path,
              init: { body: JSON.stringify(body) },
            })),
          ];
        });
      expect(await sweep(cases)).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );

  it(
    "refuses a junk If-Match on record writes with a 4xx problem",
    async () => {
      const cases = routes()
        .filter((route) => route.path.startsWith("/api/data/:entity/:id") && route.method !== "GET")
        .flatMap((route) =>
          ["garbage", 'W/"abc"', '"99999999999999999999"', '"-1"'].map((value) => ({
            route,
            input: `If-Match: ${value}`,
            path: fill(route),
            init: { body: "{}", headers: { "if-match": value } },
          })),
        );
      expect(await sweep(cases)).toEqual([]);
    },
    SWEEP_TIMEOUT,
  );
});
