import { describe, expect, it } from "vitest";
import { KehuClient } from "./kehu-client";

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

function recordingClient() {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({
      method: init.method ?? "GET",
      url: String(input),
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    return json({ data: [{ definition: { key: "sales" } }] });
  }) as typeof globalThis.fetch;
  return { calls, kehu: new KehuClient({ baseUrl: "http://k.test", fetch, csrfToken: "c1" }) };
}

describe("the reports and dashboards API of the client", () => {
  it("runs, explains, queries and saves reports where the engine expects them", async () => {
    const { calls, kehu } = recordingClient();
    await kehu.reports.run("by owner");
    await kehu.reports.run("by_owner", { explain: true });
    const query = {
      entity: "contract",
      groupBy: [{ field: "signed_on", by: "month" as const }],
      measures: [{ fn: "count" as const }],
    };
    await kehu.reports.query(query, { explain: true });
    await kehu.reports.save({ key: "by_month", label: { en: "By month" }, query, chart: { type: "line" } });
    expect(await kehu.reports.list("contract")).toEqual([{ definition: { key: "sales" } }]);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST http://k.test/api/reports/by%20owner/run",
      "POST http://k.test/api/reports/by_owner/run?explain=1",
      "POST http://k.test/api/reports/query?explain=1",
      "PUT http://k.test/api/reports/by_month",
      "GET http://k.test/api/reports?entity=contract",
    ]);
    expect(calls[2].body).toEqual(query);
    expect(calls[3].body).toMatchObject({ key: "by_month", chart: { type: "line" } });
  });

  it("lists dashboards and fetches one dashboard's data", async () => {
    const { calls, kehu } = recordingClient();
    expect(await kehu.dashboards.list()).toEqual([{ definition: { key: "sales" } }]);
    await kehu.dashboards.data("contract_settlement");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET http://k.test/api/dashboards",
      "GET http://k.test/api/dashboards/contract_settlement/data",
    ]);
  });
});
