import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SapB1Simulator, startSapB1Simulator } from "./server";
import { SlTestClient } from "./sl-test-client";

describe("$filter", () => {
  let sim: SapB1Simulator;
  let client: SlTestClient;
  let now = new Date("2026-11-22T09:00:00Z");
  beforeAll(async () => {
    sim = await startSapB1Simulator({ seed: "empty", clock: () => now, sessionTimeoutMinutes: 7 * 24 * 60 });
    client = await SlTestClient.login(sim);
    const partners = [
      ["C1", "佛山宏达建材有限公司", "cCustomer", 100],
      ["C2", "广州华美陶瓷有限公司", "C", 250],
      ["S1", "上海恒泰卫浴有限公司", "cSupplier", 0],
      ["L1", "O'Brien Tiles Ltd", "cLid", 50],
    ] as const;
    for (const [code, name, type, balance] of partners) {
      expect(
        (await client.request("POST", "BusinessPartners", { body: { CardCode: code, CardName: name, CardType: type } }))
          .status,
      ).toBe(201);
      sim.store.update("BusinessPartners", code, (bp) => {
        bp.CurrentAccountBalance = balance;
      });
    }
  });
  afterAll(() => sim.close());

  async function codes(filter: string, headers: Record<string, string> = {}) {
    const reply = await client.get(
      `BusinessPartners?$select=CardCode&$orderby=CardCode&$filter=${encodeURIComponent(filter)}`,
      headers,
    );
    expect(reply.status, reply.text).toBe(200);
    return reply.body.value.map((bp: { CardCode: string }) => bp.CardCode);
  }

  it.each([
    ["CardType eq 'cCustomer'", ["C1", "C2"]],
    ["CardType eq 'C'", ["C1", "C2"]],
    ["CardType ne 'cCustomer'", ["L1", "S1"]],
    ["CurrentAccountBalance gt 100", ["C2"]],
    ["CurrentAccountBalance ge 100", ["C1", "C2"]],
    ["CurrentAccountBalance lt 100", ["L1", "S1"]],
    ["CurrentAccountBalance le 50", ["L1", "S1"]],
    ["CardType eq 'cCustomer' and CurrentAccountBalance gt 100", ["C2"]],
    ["CardCode eq 'S1' or CardCode eq 'L1'", ["L1", "S1"]],
    ["not (CardType eq 'cCustomer')", ["L1", "S1"]],
    ["(CardType eq 'cSupplier' or CardType eq 'cLid') and CurrentAccountBalance gt 10", ["L1"]],
    ["CardType eq 'cSupplier' or CardType eq 'cLid' and CurrentAccountBalance gt 10", ["L1", "S1"]],
    ["startswith(CardName,'佛山')", ["C1"]],
    ["contains(CardName, '陶瓷')", ["C2"]],
    ["endswith(CardName,'Ltd')", ["L1"]],
    ["substringof('Tiles',CardName)", ["L1"]],
    ["CardName eq 'O''Brien Tiles Ltd'", ["L1"]],
    ["not startswith(CardCode,'C') and Valid eq 'Y'", ["L1", "S1"]],
  ])("%s", async (filter, expected) => {
    expect(await codes(filter)).toEqual(expected);
  });

  it("is case-sensitive unless B1S-CaseInsensitive is sent", async () => {
    expect(await codes("contains(CardName,'tiles')")).toEqual([]);
    expect(await codes("contains(CardName,'tiles')", { "B1S-CaseInsensitive": "true" })).toEqual(["L1"]);
  });

  it("rejects unknown properties, unsupported functions and broken syntax with SAP error bodies", async () => {
    const unknown = await client.get("BusinessPartners?$filter=Foo eq 1");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      code: -1000,
      message: { lang: "en-us", value: "Property 'Foo' of 'BusinessPartner' is invalid" },
    });
    expect((await client.get("BusinessPartners?$filter=tolower(CardName) eq 'x'")).status).toBe(400);
    expect((await client.get("BusinessPartners?$filter=(CardCode eq 'C1'")).status).toBe(400);
    expect((await client.get("BusinessPartners?$filter=CardCode eq")).status).toBe(400);
  });

  it("filters a delta on UpdateDate and UpdateTime: dates by day, times by minute only", async () => {
    const times = { C1: "14:04:50", C2: "14:05:10", S1: "14:05:50", L1: "14:06:00" };
    for (const [code, time] of Object.entries(times)) {
      now = new Date(`2026-11-23T${time}Z`);
      const patch = await client.request("PATCH", `BusinessPartners('${code}')`, {
        body: { Phone1: "020-1", CardCode: "X" },
      });
      expect(patch.status).toBe(204);
    }
    const updated = await client.get("BusinessPartners('S1')");
    expect(updated.body).toMatchObject({
      CardCode: "S1",
      Phone1: "020-1",
      UpdateDate: "2026-11-23",
      UpdateTime: "14:05:50",
    });
    expect(await codes("UpdateDate ge '2026-11-23'")).toEqual(["C1", "C2", "L1", "S1"]);
    expect(await codes("UpdateDate eq '20261123'")).toEqual(["C1", "C2", "L1", "S1"]);
    expect(await codes("UpdateDate gt datetime'2026-11-23T00:00:01'")).toEqual([]);
    expect(await codes("UpdateDate lt '2026-11-23'")).toEqual([]);
    expect(await codes("UpdateDate eq '2026-11-23' and UpdateTime ge '14:05:59'")).toEqual(["C2", "L1", "S1"]);
    expect(await codes("UpdateDate eq '2026-11-23' and UpdateTime gt '14:05:01'")).toEqual(["L1"]);
    expect(await codes("UpdateTime eq '1405'")).toEqual(["C2", "S1"]);
  });
});
