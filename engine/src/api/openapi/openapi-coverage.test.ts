import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

// biome-ignore lint/suspicious/noExplicitAny: the document is walked path by path
type Doc = any;

/** Routes that change something without a body: an action named by the path alone. */
const NO_BODY = new Set([
  "POST /api/auth/logout",
  "POST /api/data/customer/{id}/restore",
  "POST /api/tasks/{id}/claim",
  "POST /api/notifications/read-all",
  "POST /api/notifications/{id}/read",
  "POST /api/reports/{key}/run",
  "POST /api/workflows/instances/{id}/cancel",
  "POST /api/workflows/instances/{id}/retry",
  "POST /api/workflows/queued-starts/{id}/retry",
  "POST /api/sync/connections/{name}/check",
  "POST /api/sync/runs/{id}/cancel",
  "POST /api/sync/dead-letters/{id}/retry",
  "POST /api/sync/dead-letters/{id}/discard",
]);

let engine: TestEngine;
let doc: Doc;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [sampleCustomer]);
  doc = (await engine.http("/api/openapi.json")).body;
});
afterAll(() => engine?.close());

/** The mounted routes of the app as OpenAPI paths; an entity's record routes for the `customer` entity. */
function mountedRoutes(): string[] {
  const out = new Set<string>();
  for (const r of engine.app.routes) {
    if (r.method === "ALL" || !r.path.startsWith("/api/")) continue;
    const path = (r.path.startsWith("/api/data/") ? r.path.replace(":entity", "customer") : r.path).replace(
      /:([A-Za-z]+)/g,
      "{$1}",
    );
    out.add(`${r.method} ${path}`);
  }
  return [...out].sort();
}

describe("the OpenAPI document covers the API", () => {
  it("describes every mounted /api route and is a valid OpenAPI 3.1 document", async () => {
    const routes = mountedRoutes();
    expect(routes.length).toBeGreaterThan(100);
    const missing = routes.filter((route) => {
      const [method, path] = route.split(" ");
      return !doc.paths[path]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
  });

  it("documents nothing that is not mounted", () => {
    const routes = new Set(mountedRoutes());
    const documented = Object.entries(doc.paths as Record<string, Doc>).flatMap(([path, item]) =>
      ["get", "post", "put", "patch", "delete"].filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((route) => !routes.has(route))).toEqual([]);
  });

  it("gives every route that takes a body its schema, and every route its success response", () => {
    const withoutBody: string[] = [];
    const withoutSuccess: string[] = [];
    for (const route of mountedRoutes()) {
      const [method, path] = route.split(" ");
      const op = doc.paths[path][method.toLowerCase()];
      if (["POST", "PUT", "PATCH"].includes(method) && !NO_BODY.has(route)) {
        const content = op.requestBody?.content ?? {};
        if (!Object.values(content).some((c: Doc) => c.schema)) withoutBody.push(route);
      }
      if (!Object.keys(op.responses ?? {}).some((status) => /^2\d\d$/.test(status))) withoutSuccess.push(route);
    }
    expect(withoutBody).toEqual([]);
    expect(withoutSuccess).toEqual([]);
    // The newer routes carry the schemas their handlers validate with.
    expect(doc.paths["/api/reports/query"].post.requestBody.content["application/json"].schema.required).toEqual([
      "entity",
      "measures",
    ]);
    expect(doc.paths["/api/admin/exchange-rates"].post.requestBody.content["application/json"].schema.required).toEqual(
      ["currency", "validFrom", "rate"],
    );
    expect(doc.paths["/api/data/customer/import"].post.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ImportResult",
    });
  });
});
