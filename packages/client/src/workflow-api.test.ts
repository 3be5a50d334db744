import { describe, expect, it } from "vitest";
import { KehuClient } from "./kehu-client";
import type { SyncRun } from "./sync-types";

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

describe("the inbox, workflow and sync API of the client", () => {
  it("sends task actions and instance filters where the engine expects them", async () => {
    const calls: Array<{ method: string; url: string; body: unknown }> = [];
    const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      calls.push({
        method: init.method ?? "GET",
        url: String(input),
        body: init.body && JSON.parse(String(init.body)),
      });
      return json({ data: [] });
    }) as typeof globalThis.fetch;
    const kehu = new KehuClient({ baseUrl: "http://k.test", fetch });
    await kehu.tasks.list("claimable");
    await kehu.tasks.list("mine", "due");
    await kehu.tasks.complete("t/1", { outcome: "approve", discount: 5 });
    await kehu.tasks.delegate("t1", "ben");
    await kehu.workflows.instances({ entity: "quote", recordId: "r1" });
    await kehu.workflows.deployments("quote approval");
    await kehu.workflows.deploy({ key: "quote_approval", xml: "<definitions/>" });
    await kehu.workflows.services();
    await kehu.sync.conflicts.resolve(7, { take: "erp" });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET http://k.test/api/tasks?view=claimable",
      "GET http://k.test/api/tasks?view=mine&sort=due",
      "POST http://k.test/api/tasks/t%2F1/complete",
      "POST http://k.test/api/tasks/t1/delegate",
      "GET http://k.test/api/workflows/instances?entity=quote&recordId=r1",
      "GET http://k.test/api/workflows/deployments?key=quote%20approval",
      "POST http://k.test/api/workflows/deployments",
      "GET http://k.test/api/workflows/services",
      "POST http://k.test/api/sync/conflicts/7/resolve",
    ]);
    expect(calls[2].body).toEqual({ outcome: "approve", discount: 5 });
    expect(calls[3].body).toEqual({ to: "ben" });
  });

  it("follows a run's server-sent events, split across chunks, until the end event", async () => {
    const run = (pages: number, status: string) => JSON.stringify({ id: "r1", pages, status });
    const text = `event: progress\ndata: ${run(0, "running")}\n\nevent: progress\r\ndata: ${run(2, "running")}\r\n\r\nevent: end\ndata: ${run(3, "succeeded")}\n\n`;
    const fetch = (async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            const bytes = new TextEncoder().encode(text);
            for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      )) as typeof globalThis.fetch;
    const seen: Array<[number, string, boolean]> = [];
    const kehu = new KehuClient({ baseUrl: "http://k.test", fetch });
    await kehu.sync.runs.follow("r1", (r: SyncRun, ended) => seen.push([r.pages, r.status, ended])).done;
    expect(seen).toEqual([
      [0, "running", false],
      [2, "running", false],
      [3, "succeeded", true],
    ]);
  });
});
