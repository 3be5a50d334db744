import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [sampleCustomer]);
});
afterAll(() => engine.close());

describe("POST /api/data/:entity/import", () => {
  it("refuses a multipart body that is not a form with a 400 problem, and imports nothing", async () => {
    for (const type of ["multipart/form-data", "multipart/form-data; boundary=x"]) {
      const res = await engine.http("/api/data/customer/import", {
        method: "POST",
        body: "name\nAcme\n",
        headers: { "content-type": type },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.detail).toMatch(/not a valid multipart form/);
    }
    const { rows } = await engine.ctx.db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
    expect(rows[0].n).toBe(0);
  });

  it("refuses a json cell nested thousands deep as a row error, not a 500", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const res = await engine.http("/api/data/customer/import", {
      method: "POST",
      body: `name,extra\nDeep,"${deep}"\n`,
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "/rows/2/extra", message: "nests deeper than 100 levels" }),
    ]);
    const { rows } = await engine.ctx.db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
    expect(rows[0].n).toBe(0);
  });
});
