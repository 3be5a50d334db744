import { createAjv } from "@kehu/schema";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleContact, sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine?.close());

describe("GET /api/openapi.json", () => {
  it("documents the entities in force and follows metadata changes at once", async () => {
    const before = await engine.http("/api/openapi.json");
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toMatch(/^application\/json/);
    expect(before.body.paths["/api/data/customer"]).toBeUndefined();

    await defineEntities(engine.ctx, [sampleCustomer, sampleContact]);
    const after = await engine.http("/api/openapi.json");
    expect(after.body.info.title).toBe("Kehu API");
    expect(after.body.paths["/api/data/customer"].get.operationId).toBe("customer.list");
    expect(after.body.paths["/api/data/contact/{id}"].patch).toBeDefined();
    const result = await validate(after.body);
    if (!result.valid) throw new Error(compileErrors(result));

    await defineEntities(engine.ctx, [
      { name: "region", label: { en: "Region", zh: "区域" }, fields: [{ name: "name", type: "text" }] },
    ]);
    const again = await engine.http("/api/openapi.json");
    expect(again.body.paths["/api/data/region"]).toBeDefined();
    expect(again.body.tags.find((t: { name: string }) => t.name === "region").description).toContain("区域");
  });
});

describe("the document tells the truth", () => {
  it("describes the bodies the API really sends", async () => {
    const doc = (await engine.http("/api/openapi.json")).body;
    const ajv = createAjv();
    ajv.addFormat("kehu-text", true);
    ajv.addSchema({ ...doc, $id: "https://kehu.test/openapi.json" });
    const esc = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");
    /** Checks a response against the schema the document gives for that path, method, status and media type. */
    const conforms = (res: { status: number; headers: Headers; body: unknown }, path: string, method: string) => {
      const media = (res.headers.get("content-type") ?? "").split(";")[0];
      const pointer = ["paths", path, method, "responses", String(res.status)].map(esc).join("/");
      let response = doc.paths[path][method].responses[String(res.status)];
      expect(response, `${method} ${path} ${res.status} is documented`).toBeDefined();
      const at = response.$ref ? response.$ref.slice(2) : pointer;
      if (response.$ref) response = doc.components.responses[response.$ref.split("/").pop()];
      expect(response.content[media], `${method} ${path} ${res.status} ${media}`).toBeDefined();
      const check = ajv.getSchema(`https://kehu.test/openapi.json#/${at}/content/${esc(media)}/schema`)!;
      expect(check(res.body), `${method} ${path} ${res.status}: ${JSON.stringify(check.errors)}`).toBe(true);
    };

    const created = await engine.http("/api/data/customer", {
      method: "POST",
      body: {
        name: "Acme",
        tier: "gold",
        credit: { amount: "12000.50", currency: "CNY" },
        tags: ["vip"],
        rating: "4.50",
      },
    });
    conforms(created, "/api/data/customer", "post");
    const contact = await engine.http("/api/data/contact", {
      method: "POST",
      body: { name: "Li", customer: created.body.id },
    });
    conforms(contact, "/api/data/contact", "post");
    conforms(await engine.http("/api/data/contact?expand=customer"), "/api/data/contact", "get");
    conforms(await engine.http(`/api/data/customer/${created.body.id}`), "/api/data/customer/{id}", "get");
    conforms(
      await engine.http(`/api/data/customer/${created.body.id}`, {
        method: "PATCH",
        body: { tier: "potential" },
        headers: { "if-match": '"1"' },
      }),
      "/api/data/customer/{id}",
      "patch",
    );
    conforms(
      await engine.http(`/api/data/customer/${created.body.id}`, { method: "PATCH", body: { nope: 1 } }),
      "/api/data/customer/{id}",
      "patch",
    );
    conforms(
      await engine.http("/api/data/customer/bulk", {
        method: "POST",
        body: { records: [{ name: "B" }, { tier: "x" }], atomic: false },
      }),
      "/api/data/customer/bulk",
      "post",
    );
    conforms(
      await engine.http("/api/data/customer/00000000-0000-4000-8000-000000000000"),
      "/api/data/customer/{id}",
      "get",
    );
    conforms(await engine.http("/api/meta/entities"), "/api/meta/entities", "get");
    conforms(await engine.http("/api/meta/entities/customer"), "/api/meta/entities/{name}", "get");
    conforms(await engine.http("/api/meta/entities/customer/revisions"), "/api/meta/entities/{name}/revisions", "get");
    conforms(
      await engine.http("/api/meta/entities/customer/schema?kind=read"),
      "/api/meta/entities/{name}/schema",
      "get",
    );
    const region = (await engine.http("/api/meta/entities/region")).body.definition;
    const changed = { ...region, fields: [...region.fields, { name: "code", type: "text" }] };
    conforms(
      await engine.http("/api/meta/entities/region?dryRun=1", { method: "PUT", body: changed }),
      "/api/meta/entities/{name}",
      "put",
    );
    conforms(
      await engine.http("/api/meta/entities/region", { method: "PUT", body: changed }),
      "/api/meta/entities/{name}",
      "put",
    );
    conforms(
      await engine.http("/api/meta/entities", {
        method: "POST",
        body: { name: "lead", fields: [{ name: "x", type: "txt" }] },
      }),
      "/api/meta/entities",
      "post",
    );
    conforms(
      await engine.http("/api/meta/entities/region?dryRun=1", { method: "DELETE" }),
      "/api/meta/entities/{name}",
      "delete",
    );
  });
});

describe("GET /api/docs", () => {
  it("serves the Swagger UI page pointing at the document", async () => {
    const page = await engine.http("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.body).toContain('data-spec-url="/api/openapi.json"');
    expect(page.body).toContain("/api/docs/assets/swagger-ui-bundle.js");
  });

  it("serves its assets from swagger-ui-dist, and nothing else", async () => {
    const js = await engine.http("/api/docs/assets/swagger-ui-bundle.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(js.body.length).toBeGreaterThan(100_000);
    const css = await engine.http("/api/docs/assets/swagger-ui.css");
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const init = await engine.http("/api/docs/assets/init.js");
    expect(init.body).toContain("SwaggerUIBundle");
    for (const name of ["package.json", "..%2Fpackage.json", "index.html"]) {
      const res = await engine.http(`/api/docs/assets/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
