import { defaultCredentials, type SapB1Simulator } from "./server";

// biome-ignore lint/suspicious/noExplicitAny: test replies are asserted field by field
export type SlReply = { status: number; headers: Headers; body: any; text: string };

/** A minimal cookie-keeping Service Layer client for tests, over real sockets. */
export class SlTestClient {
  cookie = "";

  constructor(readonly root: string) {}

  static async login(simulator: SapB1Simulator, version: "v1" | "v2" = "v1"): Promise<SlTestClient> {
    const client = new SlTestClient(`${simulator.origin}/b1s/${version}`);
    const reply = await client.login();
    if (reply.status !== 200) throw new Error(`login failed: ${reply.text}`);
    return client;
  }

  async login(credentials = defaultCredentials): Promise<SlReply> {
    const body = { CompanyDB: credentials.companyDB, UserName: credentials.userName, Password: credentials.password };
    const reply = await this.request("POST", "Login", { body });
    if (reply.status === 200)
      this.cookie = reply.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
    return reply;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<SlReply> {
    return this.request("GET", path, { headers });
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<SlReply> {
    const url = new URL(path, `${this.root}/`);
    const response = await fetch(url, {
      method,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...options.headers },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    const json = (response.headers.get("content-type") ?? "").includes("json") && text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body: json, text };
  }
}
