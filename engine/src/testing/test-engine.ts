import { listen, type RunningServer } from "../api/serve";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import { openTestDatabase } from "./test-database";
import { createTestUser } from "./test-users";

/** An engine on a fresh test database, serving on a real socket. */
export interface TestEngine extends Engine {
  server: RunningServer;
  /** The admin user every engine starts with, and its API token (write access, every entity). */
  admin: { id: string; login: string; token: string };
  /**
   * Fetches `path` from the server as the admin (or as the token `as`, or with no credentials when
   * `anonymous`); JSON bodies are sent as JSON.
   */
  http(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string>; as?: string; anonymous?: boolean },
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
  // Named "system" so that tests written before authentication still see the actor they expect.
  const admin = await createTestUser(engine.ctx, { login: "system", isAdmin: true });
  return {
    ...engine,
    server,
    admin,
    async http(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (!init.anonymous && !Object.keys(headers).some((h) => /^(authorization|cookie)$/i.test(h)))
        headers.authorization = `Bearer ${init.as ?? admin.token}`;
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
