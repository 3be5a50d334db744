import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

describe("query options and reads by key", () => {
  let sim: SapB1Simulator;
  let v1: SlTestClient;
  let v2: SlTestClient;
  beforeAll(async () => {
    sim = await startSapB1Simulator({
      seed: "demo",
      sizes: { partners: 20, items: 30, orders: 12, invoices: 0, payments: 0 },
    });
    v1 = await SlTestClient.login(sim, "v1");
    v2 = await SlTestClient.login(sim, "v2");
  });
  afterAll(() => sim.close());

  it("$select returns only the named properties, sub-collections included", async () => {
    const reply = await v1.get("Items?$select=ItemCode,ItemWarehouseInfoCollection&$top=2");
    expect(reply.body.value).toHaveLength(2);
    expect(Object.keys(reply.body.value[0])).toEqual(["ItemCode", "ItemWarehouseInfoCollection"]);
    expect(reply.body.value[0].ItemWarehouseInfoCollection[0]).toHaveProperty("Committed");
    const one = await v1.get("Items('A000003')?$select=ItemName");
    expect(Object.keys(one.body)).toEqual(["odata.metadata", "odata.etag", "ItemName"]);
  });

  it("$orderby sorts by several keys, $skip applies before $top", async () => {
    const all = (await v1.get("Orders?$select=DocEntry,DocTotal&$orderby=DocTotal desc,DocEntry asc&$top=100")).body
      .value;
    const totals = all.map((o: { DocTotal: number }) => o.DocTotal);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const window = (await v1.get("Orders?$select=DocEntry,DocTotal&$orderby=DocTotal desc,DocEntry asc&$skip=3&$top=4"))
      .body.value;
    expect(window).toEqual(all.slice(3, 7));
  });

  it("counts: /$count as plain text, $inlinecount=allpages (v1, string) and $count=true (v2, number)", async () => {
    const count = await v1.get("Items/$count?$filter=ItemsGroupCode eq 101");
    expect(count.text).toBe("6");
    const inline = await v1.get("Items?$inlinecount=allpages&$top=1");
    expect(inline.body["odata.count"]).toBe("30");
    expect(inline.body.value).toHaveLength(1);
    const v4 = await v2.get("Items?$count=true&$top=1");
    expect(v4.body["@odata.count"]).toBe(30);
    expect((await v1.get("Items?$top=1")).body).not.toHaveProperty("odata.count");
  });

  it("reads by key: Items('…'), Orders(n), Orders(DocEntry=n); a miss is 404 with -2028", async () => {
    expect((await v1.get("Items('A000001')")).body.ItemCode).toBe("A000001");
    const order = await v1.get("Orders(2)");
    expect(order.body).toMatchObject({ DocEntry: 2, DocNum: 200002, DocObjectCode: "oOrders" });
    expect(order.body["odata.metadata"]).toMatch(/#Orders\/@Element$/);
    expect((await v1.get("Orders(DocEntry=2)")).body.DocEntry).toBe(2);
    const miss = await v1.get("Orders(9999)");
    expect(miss.status).toBe(404);
    expect(miss.body).toEqual({
      error: { code: -2028, message: { lang: "en-us", value: "No matching records found (ODBC -2028)" } },
    });
    const missV2 = await v2.get("Items('NOPE')");
    expect(missV2.body.error).toMatchObject({ code: "-2028", message: "No matching records found (ODBC -2028)" });
  });

  it("writes v1 dates as plain dates and v2 dates as …T00:00:00Z", async () => {
    const a = (await v1.get("Orders(1)?$select=DocDate,UpdateDate,UpdateTime")).body;
    const b = (await v2.get("Orders(1)?$select=DocDate,UpdateDate,UpdateTime")).body;
    expect(a.UpdateDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(b.UpdateDate).toBe(`${a.UpdateDate}T00:00:00Z`);
    expect(b.UpdateTime).toBe(a.UpdateTime);
    expect(a.UpdateTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it("refuses to delete documents (-5006) and answers unknown entity sets with 404", async () => {
    const del = await v1.request("DELETE", "Orders(1)");
    expect(del.status).toBe(400);
    expect(del.body.error.code).toBe(-5006);
    expect((await v1.get("Nothing")).status).toBe(404);
  });
});
