import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type RunningServer } from "../api/serve";
import { createEngine, type Engine } from "../create-engine";
import { openTestDatabase } from "../testing/test-database";
import { createTestUser } from "../testing/test-users";

const PASSWORD = "Pa55-word-never-logged";
let engine: Engine;
let server: RunningServer;
let logs = "";
const bodies: Array<{ path: string; text: string }> = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += chunk;
      done();
    },
  });
  engine = await createEngine(await openTestDatabase(), pino({ level: "trace" }, sink));
  server = await listen(engine.app);
  await createTestUser(engine.ctx, { login: "auditor", password: PASSWORD });
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

async function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(server.url + path, {
    method: init.method ?? "GET",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  bodies.push({ path: `${init.method ?? "GET"} ${path}`, text: text + JSON.stringify([...res.headers]) });
  return { res, json: text ? JSON.parse(text) : undefined };
}

describe("passwords and tokens", () => {
  it("never appear in the logs or in any response but the one creating the token", async () => {
    const bad = await call("/api/auth/login", { method: "POST", body: { login: "auditor", password: `${PASSWORD}x` } });
    expect(bad.res.status).toBe(401);
    const ok = await call("/api/auth/login", { method: "POST", body: { login: "auditor", password: PASSWORD } });
    const cookie = ok.res.headers.get("set-cookie")!.split(";")[0]!;
    const headers = { cookie, "x-csrf-token": ok.json.csrfToken };
    const created = await call("/api/auth/tokens", { method: "POST", body: { name: "ci", access: "write" }, headers });
    expect(created.res.status).toBe(201);
    const token: string = created.json.token;
    bodies.pop();
    const bearer = { authorization: `Bearer ${token}` };
    await call("/api/auth/me", { headers: bearer });
    await call("/api/auth/tokens", { headers: bearer });
    await call("/api/data/nothing", { headers: bearer });
    await call("/api/auth/tokens", { method: "POST", body: "{not json", headers: bearer });
    await call(`/api/auth/tokens/${created.json.id}`, { method: "DELETE", headers });
    await call("/api/auth/me", { headers: bearer });
    await call("/api/auth/logout", { method: "POST", headers });

    expect(bodies.length).toBeGreaterThan(8);
    for (const { path, text } of bodies) {
      expect(text, path).not.toContain(PASSWORD);
      expect(text, path).not.toContain(token);
    }
    expect(logs).toMatch(/"login refused"[\s\S]*"login"[\s\S]*"API token created"[\s\S]*"API token revoked"/);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(token);
    const stored = JSON.stringify(await engine.ctx.db.knex("kehu.api_tokens").select("*"));
    expect(stored).not.toContain(token);
  });
});
