import type { EntityDefinition } from "@kehu/schema";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { sampleContact, sampleCustomer } from "../../testing/sample-entities";
import { buildOpenApiDocument } from "./openapi-document";

// biome-ignore lint/suspicious/noExplicitAny: the document is asserted path by path
type Doc = any;

async function expectValid(doc: unknown) {
  const result = await validate(structuredClone(doc) as never);
  if (!result.valid) throw new Error(compileErrors(result));
  expect(result.valid).toBe(true);
}

describe("buildOpenApiDocument", () => {
  it("is a valid OpenAPI 3.1 document with no entities", async () => {
    const doc = buildOpenApiDocument([], { version: "1.2.3" });
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Kehu API", version: "1.2.3" });
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/api/data/"))).toBe(false);
    await expectValid(doc);
  });

  it("describes every entity's data routes with its record schemas and validates", async () => {
    const doc: Doc = buildOpenApiDocument([sampleContact, sampleCustomer], { version: "0.1.0" });
    await expectValid(doc);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/data/customer",
        "/api/data/customer/bulk",
        "/api/data/customer/{id}",
        "/api/data/customer/{id}/restore",
        "/api/data/contact",
        "/api/meta/entities",
        "/api/meta/entities/{name}",
        "/api/meta/entities/{name}/revisions",
        "/api/meta/entities/{name}/schema",
      ]),
    );
    const schemas = doc.components.schemas;
    expect(schemas.customer.$schema).toBeUndefined();
    expect(schemas["customer.create"].required).toEqual(["name"]);
    expect(schemas["customer.create"].properties.tier.enum).toEqual(
      expect.arrayContaining(["gold", "potential", "general"]),
    );
    expect(schemas["customer.patch"].required).toBeUndefined();
    expect(schemas.customer.properties.id).toMatchObject({ format: "uuid", readOnly: true });
    // contact.customer is an id, or the customer record with expand=customer
    expect(schemas.contact.properties.customer.anyOf[1]).toEqual({ $ref: "#/components/schemas/customer" });
    expect(schemas["customer.bulk"].properties.upsertBy.enum).toEqual(["code"]);
    expect(schemas.EntityDefinition.$id).toBeUndefined();
    expect(schemas.EntityDefinition.properties.fields.items.properties.type.enum).toContain("money");

    const list = doc.paths["/api/data/customer"].get;
    const params = list.parameters.map((p: Doc) => p.name ?? p.$ref.split("/").pop());
    expect(params).toEqual(["filter", "search", "searchMode", "limit", "cursor", "sort", "fields"]);
    expect(doc.paths["/api/data/contact"].get.parameters.map((p: Doc) => p.name).filter(Boolean)).toContain("expand");
    expect(list.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/customer.list",
    });
    expect(doc.components.responses.BadRequest.content["application/problem+json"].schema).toEqual({
      $ref: "#/components/schemas/Problem",
    });
    const create = doc.paths["/api/data/customer"].post;
    expect(create.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/customer.create",
    });
    expect(Object.keys(create.responses["201"].headers)).toEqual(["Location", "ETag"]);
    const patch = doc.paths["/api/data/customer/{id}"].patch;
    expect(patch.parameters).toEqual([{ $ref: "#/components/parameters/ifMatch" }]);
    expect(doc.components.parameters.ifMatch).toMatchObject({ name: "If-Match", in: "header" });
    expect(doc.paths["/api/data/customer/bulk"].post.responses["207"]).toBeDefined();

    expect(doc.tags.map((t: Doc) => t.name).slice(0, 3)).toEqual(["contact", "customer", "Metadata"]);
    expect(doc.tags[1].description).toContain("Customer / 客户");
    expect(Object.keys(doc.components.securitySchemes)).toEqual(["bearerAuth", "sessionCookie"]);
  });

  it("keeps operation ids unique for entity names that look alike", async () => {
    const named = (name: string): EntityDefinition => ({ name, fields: [{ name: "x", type: "text" }] });
    await expectValid(buildOpenApiDocument(["a_1_b", "a1_b", "metadata"].map(named), { version: "0.1.0" }));
  });
});
