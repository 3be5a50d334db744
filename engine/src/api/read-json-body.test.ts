import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../testing/define-entities";
import { sampleCustomer } from "../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [sampleCustomer]);
});
afterAll(() => engine.close());

const nestedText = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;

describe("a JSON request body", () => {
  it("is refused with a 400 problem when it nests deeper than 100 levels, and nothing is written", async () => {
    const deep = await engine.http("/api/data/customer", {
      method: "POST",
      body: `{"name":"Deep","extra":${nestedText(5000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(deep.headers.get("content-type")).toBe("application/problem+json");
    expect(deep.body.detail).toBe("The request body nests arrays and objects deeper than 100 levels");
    const { rows } = await engine.ctx.db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
    expect(rows[0].n).toBe(0);

    const fine = await engine.http("/api/data/customer", {
      method: "POST",
      body: `{"name":"Nested","extra":${nestedText(90)}}`,
    });
    expect(fine.status).toBe(201);
  });
});
