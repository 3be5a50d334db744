import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";

/** Percentile of a list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `task(i)` for i in 0..total-1 on `concurrency` parallel loops; returns the elapsed milliseconds. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return performance.now() - start;
}

/** Milliseconds each call of `task` took, run one after another. */
export async function latencies(count: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await task(i);
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Starts `kehu start --port 0` in its own process and resolves with its base URL once it listens. BENCH_NODE_ARGS
 * passes flags to that node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server.
 */
export function startKehuProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const bin = fileURLToPath(new URL("../engine/bin/kehu.mjs", import.meta.url));
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, bin, "start", "--port", "0"], {
    env: { ...process.env, KEHU_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const m = /(http:\/\/[^\s)]+:\d+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once("exit", (code) => reject(new Error(`kehu start exited with ${code}: ${out}`)));
  });
}

export function fmt(n: number, digits = 2): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request over a keep-alive agent, returning status and parsed JSON. The bench uses node:http rather
 * than fetch: undici's fetch spent ~4 s of client CPU per 4,000 requests here and became the bottleneck.
 */
export function httpJson(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: bench answers are read field by field
): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}
