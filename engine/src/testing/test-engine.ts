import { listen, type RunningServer } from "../api/serve";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import { openTestDatabase } from "./test-database";

/** An engine on a fresh test database, serving on a real socket. */
export interface TestEngine extends Engine {
  server: RunningServer;
  /** Fetches `path` from the server; JSON bodies are sent as JSON. */
  http(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are asserted field by field
  body: any;
}

export async function startTestEngine(): Promise<TestEngine> {
  const db = await openTestDatabase();
  const engine = await createEngine(db, createLogger(process.env.KEHU_TEST_LOG_LEVEL ?? "silent"));
  const server = await listen(engine.app);
  return {
    ...engine,
    server,
    async http(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(server.url + path, { method: init.method ?? "GET", headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async close() {
      await server.close();
      await engine.close();
    },
  };
}
