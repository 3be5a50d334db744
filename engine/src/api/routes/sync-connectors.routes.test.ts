import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine?.close());

describe("/api/sync/connectors", () => {
  it("lists the connectors with the config schema a connection form is drawn from, to administrators", async () => {
    const res = await engine.http("/api/sync/connectors");
    expect(res.status).toBe(200);
    const sap = res.body.data.find((c: { name: string }) => c.name === "sap-b1");
    expect(sap.label.en).toMatch(/SAP Business One/);
    const secrets = Object.entries(sap.config.properties as Record<string, { "x-secret"?: boolean }>)
      .filter(([, p]) => p["x-secret"])
      .map(([name]) => name);
    expect(secrets).toContain("password");
    const clerk = await createTestUser(engine.ctx, { login: "clerk" });
    expect((await engine.http("/api/sync/connectors", { as: clerk.token })).status).toBe(403);
  });
});
