import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

describe("Service Layer sessions", () => {
  let sim: SapB1Simulator;
  beforeAll(async () => {
    sim = await startSapB1Simulator({ seed: "demo", sizes: { items: 30, orders: 3, invoices: 2, payments: 1 } });
  });
  afterAll(() => sim.close());

  it("logs in with B1SESSION and ROUTEID cookies and answers v1 and v2 login bodies", async () => {
    const v1 = new SlTestClient(sim.url);
    const reply = await v1.login();
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ SessionTimeout: 30, Version: "1000190" });
    expect(reply.headers.get("content-type")).toBe("application/json;odata=minimalmetadata;charset=utf-8");
    expect(reply.body["odata.metadata"]).toMatch(/\/b1s\/v1\/\$metadata#B1Sessions\/@Element$/);
    expect(reply.headers.getSetCookie()).toEqual([
      `B1SESSION=${reply.body.SessionId};HttpOnly;`,
      "ROUTEID=.node1; path=/b1s",
    ]);
    const v2 = new SlTestClient(`${sim.origin}/b1s/v2`);
    const reply2 = await v2.login();
    expect(reply2.body["@odata.context"]).toMatch(/#B1Sessions\/\$entity$/);
    expect(reply2.headers.get("odata-version")).toBe("4.0");
  });

  it("rejects bad credentials with code 100000027", async () => {
    const client = new SlTestClient(sim.url);
    const reply = await client.login({ companyDB: "SBODEMOCN", userName: "manager", password: "wrong" });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: { code: 100000027, message: { lang: "en-us", value: "Login failed" } } });
  });

  it("answers 401 with code 301 without a session, without ROUTEID, on a wrong-case path, and after logout", async () => {
    const anonymous = new SlTestClient(sim.url);
    const invalid = {
      error: { code: 301, message: { lang: "en-us", value: "Invalid session or session already timeout." } },
    };
    expect((await anonymous.get("Items")).body).toEqual(invalid);
    expect((await anonymous.request("POST", "login", { body: {} })).status).toBe(401);

    const client = await SlTestClient.login(sim);
    expect((await client.get("Items('A000001')")).status).toBe(200);
    const withoutRoute = new SlTestClient(sim.url);
    withoutRoute.cookie = client.cookie
      .split("; ")
      .filter((c) => c.startsWith("B1SESSION"))
      .join("");
    expect((await withoutRoute.get("Items")).status).toBe(401);

    const logout = await client.request("POST", "Logout");
    expect(logout.status).toBe(204);
    expect(logout.text).toBe("");
    const after = await client.get("Items");
    expect(after.status).toBe(401);
    expect(after.body).toEqual(invalid);
  });

  it("answers the v2 error shape with a string code and a plain message", async () => {
    const reply = await new SlTestClient(`${sim.origin}/b1s/v2`).get("Items");
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      error: {
        code: "301",
        details: [{ code: "", message: "" }],
        message: "Invalid session or session already timeout.",
      },
    });
  });

  it("expires an idle session after SessionTimeout minutes", async () => {
    let now = new Date("2026-11-23T10:00:00Z");
    const timed = await startSapB1Simulator({ sessionTimeoutMinutes: 30, clock: () => now });
    try {
      const client = await SlTestClient.login(timed);
      now = new Date("2026-11-23T10:29:00Z");
      expect((await client.get("Warehouses")).status).toBe(200);
      now = new Date("2026-11-23T10:58:00Z");
      expect((await client.get("Warehouses")).status).toBe(200);
      now = new Date("2026-11-23T11:29:00Z");
      expect((await client.get("Warehouses")).status).toBe(401);
    } finally {
      await timed.close();
    }
  });
});

describe("single-version simulator", () => {
  it("serves only the requested version and points url at it", async () => {
    const sim = await startSapB1Simulator({ version: "v2" });
    try {
      expect(sim.url).toBe(`${sim.origin}/b1s/v2`);
      expect((await new SlTestClient(sim.url).login()).status).toBe(200);
      expect((await new SlTestClient(`${sim.origin}/b1s/v1`).login()).status).toBe(404);
    } finally {
      await sim.close();
    }
  });
});

describe("session expiry fault", () => {
  it("fails the request after N with 401, and a new login works again", async () => {
    const sim = await startSapB1Simulator({ faults: { sessionExpiresAfterRequests: 3 } });
    try {
      const client = await SlTestClient.login(sim);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await client.get("Warehouses")).status);
      expect(statuses).toEqual([200, 200, 200, 401]);
      expect((await client.get("Warehouses")).status).toBe(401);
      expect((await client.login()).status).toBe(200);
      expect((await client.get("Warehouses")).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
