import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../../testing";
import { deployWorkflow } from "../deployments";
import { bpmnXml, chain, inputs } from "../test-bpmn";
import type { WorkflowRuntime } from "../workflow-runtime";

let engine: TestEngine;
let runtime: WorkflowRuntime;
let server: Server;
let base: string;
let answer = 200;
const received: Array<{ method: string; url: string; key: string | undefined; body: string }> = [];

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      key: req.headers["idempotency-key"] as string | undefined,
      body: await bodyOf(req),
    });
    if (req.url === "/elsewhere") {
      res.writeHead(302, { location: "http://example.invalid/steal" }).end();
      return;
    }
    res.writeHead(answer, { "content-type": "application/json" }).end(JSON.stringify({ ok: answer === 200, n: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  engine = await startTestEngine();
  runtime = engine.ctx.workflows!;
  await deployWorkflow(
    engine.ctx.db.knex,
    { library: runtime.library, registry: engine.ctx.registry },
    {
      key: "notify_erp",
      xml: bpmnXml(`<startEvent id="s"/>
        <serviceTask id="call" camunda:type="external" camunda:topic="http" camunda:resultVariable="reply">
          ${inputs({ url: "${url}", method: "POST", "body.order": "${order}", "headers.x-source": "kehu" })}</serviceTask>
        <exclusiveGateway id="ok" default="bad"/>
        <endEvent id="good"/><endEvent id="badEnd"/>
        ${chain("s", "call", "ok")}
        <sequenceFlow id="yes" sourceRef="ok" targetRef="good"><conditionExpression xsi:type="tFormalExpression">\${reply.status = 200}</conditionExpression></sequenceFlow>
        <sequenceFlow id="bad" sourceRef="ok" targetRef="badEnd"/>`),
    },
    "test",
  );
});
afterAll(async () => {
  await engine?.close();
  server?.close();
});

describe("the http service", () => {
  it("refuses a host no administrator allowed, and calls it once allowed", async () => {
    const refused = await runtime.start("notify_erp", { url: `${base}/orders`, order: "SO-1" }, { actor: "admin" });
    expect(refused.status).toBe("failed");
    expect(refused.error).toContain("127.0.0.1");
    expect(refused.error).toContain("httpAllowedHosts");
    expect(received).toHaveLength(0);

    const bad = await engine.http("/api/workflows/settings", {
      method: "PUT",
      body: { httpAllowedHosts: ["http://x"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: "/httpAllowedHosts/0", message: "must be a host name, optionally with :port" },
    ]);
    const set = await engine.http("/api/workflows/settings", {
      method: "PUT",
      body: { httpAllowedHosts: ["127.0.0.1"] },
    });
    expect(set.body).toEqual({ scriptsEnabled: false, httpAllowedHosts: ["127.0.0.1"] });

    const retried = await engine.http(`/api/workflows/instances/${refused.instanceId}/retry`, { method: "POST" });
    expect(retried.body.status).toBe("completed");
    expect(received).toEqual([
      { method: "POST", url: "/orders", key: expect.stringContaining(refused.instanceId), body: '{"order":"SO-1"}' },
    ]);
    const history = await engine.http(`/api/workflows/instances/${refused.instanceId}/history`);
    expect(JSON.stringify(history.body)).toContain("good");
  });

  it("fails the task on an error answer, sending the same idempotency key when retried", async () => {
    answer = 503;
    const first = await runtime.start("notify_erp", { url: `${base}/orders`, order: "SO-2" }, { actor: "admin" });
    expect(first.status).toBe("failed");
    expect(first.error).toContain("answered 503");
    answer = 200;
    const retried = await engine.http(`/api/workflows/instances/${first.instanceId}/retry`, { method: "POST" });
    expect(retried.body.status).toBe("completed");
    const calls = received.filter((r) => r.body.includes("SO-2"));
    expect(calls).toHaveLength(2);
    expect(calls[0].key).toBe(calls[1].key);
  });

  it("does not follow a redirect to a host that is not allowed", async () => {
    const run = await runtime.start("notify_erp", { url: `${base}/elsewhere`, order: "SO-3" }, { actor: "admin" });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("answered 302");
  });
});
