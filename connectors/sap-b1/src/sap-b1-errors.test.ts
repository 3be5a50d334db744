import { isConnectorError } from "@kehu/connector-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SapB1Simulator } from "../simulator";
import { resolveConfig, type SapB1Config } from "./sap-b1-config";
import { sapB1Connector } from "./sap-b1-connector";
import { ServiceLayerClient } from "./service-layer-client";
import { startSimConnection } from "./testing/sim-connection";

describe.each(["v1", "v2"] as const)("readable SAP errors on %s", (version) => {
  let sim: SapB1Simulator;
  let config: SapB1Config;
  beforeAll(async () => {
    ({ sim, config } = await startSimConnection(version, {
      sizes: { items: 30, orders: 0, invoices: 0, payments: 0 },
    }));
  });
  afterAll(() => sim.close());

  it("names the company, the user and SAP's code when the login is refused", async () => {
    const session = sapB1Connector.open({ ...config, password: "nope" });
    try {
      const result = await session.check();
      expect(result).toEqual({
        ok: false,
        message:
          "Login to company SBODEMOCN as manager failed: SAP B1 error 100000027 on Login (HTTP 401): Login failed",
      });
      const error = await (async () => {
        for await (const _ of session.read("items", undefined)) return undefined;
      })().catch((caught: unknown) => caught);
      expect(isConnectorError(error) && { kind: error.kind, code: error.code, status: error.status }).toEqual({
        kind: "auth",
        code: "100000027",
        status: 401,
      });
    } finally {
      await session.close();
    }
  });

  it("turns a 400 with an SAP error body into an error carrying the SAP code and message", async () => {
    const client = new ServiceLayerClient(resolveConfig(config));
    try {
      const error = await client.getJson("Items?$select=NoSuchField").catch((caught: unknown) => caught);
      expect(isConnectorError(error)).toBe(true);
      expect(error).toMatchObject({
        status: 400,
        code: "-1000",
        message: "SAP B1 error -1000 on GET Items (HTTP 400): Property 'NoSuchField' of 'Item' is invalid",
      });
    } finally {
      await client.close();
    }
  });

  it("reports a rejected document in its own write result, with SAP's code", async () => {
    const session = sapB1Connector.open(config);
    try {
      const [result] = await session.write("sales_orders", [
        {
          idempotencyKey: `bad-${version}`,
          record: { CardCode: "NOPE", DocumentLines: [{ ItemCode: "A000001", Quantity: 1 }] },
        },
      ]);
      expect(result).toEqual({
        ok: false,
        code: "-10",
        retryable: false,
        message: "SAP B1 error -10 (HTTP 400): Invalid BP code [ORDR.CardCode] , 'NOPE'",
      });
      expect(sim.store.count("Orders")).toBe(0);
    } finally {
      await session.close();
    }
  });

  it("explains an unknown stream and a write to a read-only stream", async () => {
    const session = sapB1Connector.open(config);
    try {
      expect(() => session.read("quotes", undefined)).toThrow(/no stream "quotes" \(streams: business_partners, items/);
      await expect(session.write("invoices", [])).rejects.toThrow('The SAP B1 stream "invoices" is read-only (pull)');
    } finally {
      await session.close();
    }
  });
});

describe.each(["relative", "rooted", "absolute"] as const)("nextLink in %s form", (form) => {
  it.each(["v1", "v2"] as const)("pages through every item on %s", async (version) => {
    const { sim, config } = await startSimConnection(
      version,
      { nextLink: form, sizes: { items: 95, orders: 0, invoices: 0, payments: 0 } },
      { pageSize: 10 },
    );
    const client = new ServiceLayerClient(resolveConfig(config));
    try {
      const links: string[] = [];
      const first = await client.getJson("Items?$select=ItemCode", { headers: { Prefer: "odata.maxpagesize=10" } });
      const link = String(first[version === "v1" ? "odata.nextLink" : "@odata.nextLink"]);
      expect(
        link.startsWith(form === "absolute" ? sim.origin : form === "rooted" ? `/b1s/${version}/` : "Items?"),
      ).toBe(true);
      const codes: string[] = [];
      for await (const page of client.pages("Items?$select=ItemCode")) {
        codes.push(...page.rows.map((row) => row.ItemCode as string));
        if (page.next) links.push(page.next);
      }
      expect(links[0]).toBe("Items?$select=ItemCode&$skip=10");
      expect(codes).toHaveLength(95);
      expect(new Set(codes).size).toBe(95);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
