import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

const keys = {
  v1: { next: "odata.nextLink", count: "odata.count" },
  v2: { next: "@odata.nextLink", count: "@odata.count" },
};

describe.each(["v1", "v2"] as const)("server-driven paging on %s", (version) => {
  let sim: SapB1Simulator;
  let client: SlTestClient;
  beforeAll(async () => {
    sim = await startSapB1Simulator({ seed: "demo", sizes: { items: 95, orders: 0, invoices: 0, payments: 0 } });
    client = await SlTestClient.login(sim, version);
  });
  afterAll(() => sim.close());

  async function pageThrough(first: string, headers: Record<string, string> = {}) {
    const sizes: number[] = [];
    const links: string[] = [];
    const seen: string[] = [];
    let next: string | undefined = first;
    while (next) {
      const reply = await client.get(next, headers);
      expect(reply.status).toBe(200);
      sizes.push(reply.body.value.length);
      seen.push(...reply.body.value.map((item: { ItemCode: string }) => item.ItemCode));
      next = reply.body[keys[version].next];
      if (next) links.push(next);
    }
    return { sizes, links, seen };
  }

  it("pages 95 items by the default 20 and visits each once", async () => {
    const { sizes, links, seen } = await pageThrough("Items?$select=ItemCode,ItemName");
    expect(sizes).toEqual([20, 20, 20, 20, 15]);
    expect(links[0]).toBe("Items?$select=ItemCode,ItemName&$skip=20");
    expect(new Set(seen).size).toBe(95);
  });

  it("honours Prefer: odata.maxpagesize=50 and says so in Preference-Applied", async () => {
    const reply = await client.get("Items", { Prefer: "odata.maxpagesize=50" });
    expect(reply.headers.get("preference-applied")).toBe("odata.maxpagesize=50");
    const { sizes, seen } = await pageThrough("Items", { Prefer: "odata.maxpagesize=50" });
    expect(sizes).toEqual([50, 45]);
    expect(new Set(seen).size).toBe(95);
  });

  it("keeps the filter in the next link and disables paging with maxpagesize=0", async () => {
    const { seen, links } = await pageThrough("Items?$filter=ItemsGroupCode eq 101", { Prefer: "odata.maxpagesize=7" });
    expect(links[0]).toBe("Items?$filter=ItemsGroupCode%20eq%20101&$skip=7");
    expect(seen).toHaveLength(19);
    const all = await client.get("Items", { Prefer: "odata.maxpagesize=0" });
    expect(all.body.value).toHaveLength(95);
    expect(all.body[keys[version].next]).toBeUndefined();
  });

  it("takes the page size from B1S-PageSize when no Prefer is sent", async () => {
    const { sizes } = await pageThrough("Items", { "B1S-PageSize": "40" });
    expect(sizes).toEqual([40, 40, 15]);
  });

  it("combines $top with paging: the link carries what is left of $top", async () => {
    const { sizes, links } = await pageThrough("Items?$top=45&$skip=10");
    expect(sizes).toEqual([20, 20, 5]);
    expect(links).toEqual(["Items?$top=25&$skip=30", "Items?$top=5&$skip=50"]);
  });
});
