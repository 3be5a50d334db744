import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real thing: separate processes on a PGlite data dir, whichever backend the other tests use.
const engineDir = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(engineDir, "node_modules", ".bin", "tsx");
const mainTs = join(engineDir, "src", "cli", "main.ts");
const shim = join(engineDir, "bin", "kehu.mjs");

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kehu-cli-"));
  mkdirSync(join(dir, "app", "entities"), { recursive: true });
  writeFileSync(
    join(dir, "app", "entities", "customer.entity.yaml"),
    "name: customer\nlabel: {en: Customer, zh: 客户}\nfields:\n  - {name: name, type: text, required: true}\n",
  );
  writeFileSync(
    join(dir, "app", "entities", "contact.entity.yaml"),
    "name: contact\nfields:\n  - {name: customer, type: reference, target: customer}\n",
  );
  const { DATABASE_URL: _, ...rest } = process.env;
  env = {
    ...rest,
    KEHU_DATA_DIR: join(dir, "data"),
    KEHU_LOG_LEVEL: "silent",
    KEHU_ADMIN_LOGIN: "ops",
    KEHU_ADMIN_PASSWORD: "process-test-pw",
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collect(child: ChildProcess) {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { exit, stdout: () => stdout, stderr: () => stderr };
}

function run(command: string, args: string[]) {
  const child = spawn(command, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  return { child, ...collect(child) };
}

describe("kehu as a process", () => {
  it("tsx engine/src/cli/main.ts apply <dir>: applies the files and exits 0", async () => {
    const p = run(tsx, [mainTs, "apply", "app"]);
    expect(await p.exit).toBe(0);
    expect(p.stderr()).toBe("");
    const out = p.stdout();
    expect(out).toContain(
      `Opening PGlite (embedded), data dir ${join(dir, "data")} (creating it; this takes a few seconds)…`,
    );
    expect(out).toMatch(/^contact \(app\/entities\/contact\.entity\.yaml\):\n {2}\+ /m);
    expect(out).toMatch(/^customer \(app\/entities\/customer\.entity\.yaml\):\n {2}\+ /m);
    expect(out).toMatch(/Applied 2 steps on 2 entities in [\d.]+ s \(revisions 1, 2\)\.\n$/);
    expect(existsSync(join(dir, "data", "kehu.lock"))).toBe(false);
  }, 120_000);

  it("exits 1 with one line per problem for a bad file, and 2 for a bad command line", async () => {
    writeFileSync(
      join(dir, "app", "entities", "contact.entity.yaml"),
      "name: contact\nfields:\n  - {name: customer, type: ref}\n",
    );
    const bad = run(tsx, [mainTs, "apply", "app"]);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr()).toMatch(
      /^app\/entities\/contact\.entity\.yaml: \/fields\/0\/type: must be one of: "text", .*\n1 problem; nothing was applied\.\n$/,
    );
    const usage = run(tsx, [mainTs, "aply"]);
    expect(await usage.exit).toBe(2);
    expect(usage.stderr()).toMatch(/^kehu: unknown command "aply"\nUsage: kehu <command>/);
  }, 60_000);

  it("bin/kehu.mjs start serves the applied entities and releases the data dir on SIGTERM", async () => {
    const p = run(process.execPath, [shim, "start", "--port", "0"]);
    let url: string | undefined;
    for (let i = 0; i < 600 && !url && p.child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      url = /Kehu is running at (http:\/\/\S+) \(API docs: \S+\/api\/docs\)/.exec(p.stdout())?.[1];
    }
    if (!url) throw new Error(`did not start: ${p.stdout()} ${p.stderr()}`);
    const openapi = async (headers: Record<string, string> = {}) =>
      ((await (await fetch(`${url}/api/openapi.json`, { headers })).json()) as { paths: Record<string, unknown> })
        .paths;
    expect(Object.keys(await openapi())).not.toContain("/api/data/customer");
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "ops", password: "process-test-pw" }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    expect(Object.keys(await openapi({ cookie }))).toContain("/api/data/customer");
    expect(existsSync(join(dir, "data", "kehu.lock"))).toBe(true);
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toMatch(/Stopping \(SIGTERM\)…\nStopped\.\n$/);
    expect(existsSync(join(dir, "data", "kehu.lock"))).toBe(false);
  }, 120_000);
});
