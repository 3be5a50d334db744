import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { WorkflowService } from "../workflow-service";
import { workflowSettings } from "../workflow-settings";

const MAX_BODY = 1024 * 1024;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Whether `url`'s host (with or without its port) is on the administrators' list. */
function allowed(url: URL, hosts: string[]): boolean {
  return hosts.includes(url.host.toLowerCase()) || hosts.includes(url.hostname.toLowerCase());
}

async function completedCalls(trx: Knex, instanceId: string): Promise<number> {
  const [{ n }] = await trx("kehu.wf_effects").where({ instance_id: instanceId, service: "http" }).count({ n: "*" });
  return Number(n);
}

async function readBody(res: Response): Promise<unknown> {
  const text = (await res.text()).slice(0, MAX_BODY);
  if (!(res.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * `http(url, method?, body?, headers.*?, timeoutMs?, failOnError?)`: calls a host an administrator allowed
 * (`PUT /api/workflows/settings {"httpAllowedHosts": [...]}`), never following a redirect off it. The call carries
 * `Idempotency-Key: <instance>:http-<n>`, n counting the instance's completed http calls: a call repeated after a
 * crash or a retry of its failed task sends the same key, so the receiver can tell a repeat. A non-2xx answer fails the task (retry it from the instance) unless
 * failOnError is false; the result is `{status, body}` (JSON parsed).
 */
export const httpService: WorkflowService = {
  name: "http",
  version: 1,
  description:
    "Calls an HTTP(S) endpoint on an allowed host with an Idempotency-Key; returns {status, body}; a non-2xx answer fails the task unless failOnError is false.",
  inputSchema: {
    type: "object",
    properties: {
      url: { type: "string", minLength: 1 },
      method: { type: "string", enum: [...METHODS, ...METHODS.map((m) => m.toLowerCase())] },
      body: {},
      headers: { type: "object", additionalProperties: { type: "string" } },
      timeoutMs: { type: ["integer", "string"] },
      failOnError: { type: ["boolean", "string"] },
    },
    required: ["url"],
  },
  async run({ trx, input, instance }) {
    let url: URL;
    try {
      url = new URL(String(input.url));
    } catch {
      throw new AppError("validation_failed", `http: "${input.url}" is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new AppError("validation_failed", `http: only http and https URLs are called, not ${url.protocol}`);
    const { httpAllowedHosts } = await workflowSettings(trx);
    if (!allowed(url, httpAllowedHosts))
      throw new AppError(
        "forbidden",
        `http: ${url.host} is not an allowed host; an administrator adds it to httpAllowedHosts (PUT /api/workflows/settings)`,
      );
    const method = String(input.method ?? "GET").toUpperCase();
    const timeout = Math.min(Math.max(Number(input.timeoutMs ?? 10_000) || 10_000, 100), 30_000);
    const headers: Record<string, string> = {
      ...((input.headers as Record<string, string> | undefined) ?? {}),
      "idempotency-key": `${instance.id}:http-${await completedCalls(trx, instance.id)}`,
    };
    let body: string | undefined;
    if (input.body !== undefined && method !== "GET") {
      body = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
      if (typeof input.body !== "string") headers["content-type"] ??= "application/json";
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeout) });
    } catch (e) {
      const why = (e as Error).name === "TimeoutError" ? `no answer within ${timeout} ms` : (e as Error).message;
      throw new AppError("conflict", `http ${method} ${url.origin}${url.pathname}: ${why}`);
    }
    const result = { status: res.status, body: await readBody(res) };
    const failOnError = input.failOnError !== false && input.failOnError !== "false";
    if (failOnError && (res.status < 200 || res.status > 299))
      throw new AppError("conflict", `http ${method} ${url.origin}${url.pathname} answered ${res.status}`);
    return result;
  },
};
