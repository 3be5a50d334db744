import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { demoCommand } from "./demo.command";
import { main } from "./main";

let db: Database;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(() => db.close());

async function start(env: Record<string, string>) {
  let stop!: (signal: string) => void;
  const io = captureIo({ env, openDatabase: keepOpen(db), waitForShutdown: () => new Promise((r) => (stop = r)) });
  const exit = main(["start", "--port", "0"], io);
  for (let i = 0; i < 200 && !io.out().includes("Press Ctrl+C"); i++) await new Promise((r) => setTimeout(r, 25));
  const url = /Kehu is running at (http:\/\/\S+) /.exec(io.out())?.[1];
  if (!url) throw new Error(`did not start: ${io.out()} ${io.err()}`);
  return {
    url,
    io,
    stop: () => {
      stop("SIGTERM");
      return exit;
    },
  };
}

const login = (url: string, login: string, password: string) =>
  fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password }),
  });

describe("first administrator", () => {
  it("is created from KEHU_ADMIN_LOGIN + KEHU_ADMIN_PASSWORD when no user exists, and only then", async () => {
    const first = await start({ KEHU_ADMIN_LOGIN: "ops", KEHU_ADMIN_PASSWORD: "ops-password-1" });
    expect(first.io.out()).toMatch(/Created the administrator "ops"/);
    const res = await login(first.url, "ops", "ops-password-1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toMatchObject({ login: "ops", isAdmin: true });
    expect(first.io.out()).not.toContain("ops-password-1");
    expect(await first.stop()).toBe(0);

    const second = await start({ KEHU_ADMIN_LOGIN: "other", KEHU_ADMIN_PASSWORD: "other-password-1" });
    expect(second.io.out()).not.toMatch(/Created the administrator/);
    expect((await login(second.url, "other", "other-password-1")).status).toBe(401);
    await second.stop();
  });

  it("says how to create one when there is none", async () => {
    const s = await start({});
    expect(s.io.out()).toMatch(/No user yet: create one with `kehu user add --admin <login>`/);
    await s.stop();
  });

  it("is admin / kehu-demo for `kehu demo`, printed on start", async () => {
    const io = captureIo({ openDatabase: keepOpen(db), waitForShutdown: async () => "test" });
    expect(await demoCommand.run(["--port", "0"], io)).toBe(0);
    expect(io.out()).toMatch(/^Demo login: admin \/ kehu-demo$/m);
    const user = await db.knex("kehu.users").where({ login: "admin" }).first();
    expect(user.is_admin).toBe(true);
  });
});
