import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine.close());

describe("PUT /api/workflows/approval-matrices/:key", () => {
  it("refuses a body that is not a JSON object (null, a list, a number) with a 400 problem", async () => {
    for (const body of ["null", "[]", "7"]) {
      const res = await engine.http("/api/workflows/approval-matrices/discounts", { method: "PUT", body });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.detail).toMatch(/approval matrix|key/);
    }
  });
});
