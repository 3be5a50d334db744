import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../security/passwords";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";
import type { UserCliIo } from "./user.command";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

function run(argv: string[], stdin: string) {
  const io: UserCliIo & ReturnType<typeof captureIo> = {
    ...captureIo({ openDatabase: keepOpen(db) }),
    readStdin: async () => stdin,
  };
  return main(argv, io).then((code) => ({ code, out: io.out(), err: io.err() }));
}

describe("kehu user add", () => {
  it("creates an administrator with the password read from stdin, hashed with a salt of its own", async () => {
    const res = await run(["user", "add", "--admin", "root"], "s3cret-passw0rd\n");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/Created administrator "root"/);
    expect(res.out + res.err).not.toContain("s3cret-passw0rd");
    const user = await db.knex("kehu.users").where({ login: "root" }).first();
    expect(user.is_admin).toBe(true);
    expect(user.password_hash).toMatch(/^scrypt1\$/);
    expect(await verifyPassword("s3cret-passw0rd", user.password_hash)).toBe(true);
    await run(["user", "add", "twin"], "s3cret-passw0rd\n");
    const twin = await db.knex("kehu.users").where({ login: "twin" }).first();
    expect(twin.password_hash).not.toBe(user.password_hash);
  });

  it("puts a user in a department named by code or name", async () => {
    const [dept] = await db.knex("kehu.departments").insert({ name: "销售部", code: "SALES" }).returning("id");
    const res = await run(["user", "add", "zhang", "--department", "SALES"], "zhang-password\n");
    expect(res.code).toBe(0);
    const user = await db.knex("kehu.users").where({ login: "zhang" }).first();
    expect(user.department_id).toBe(dept.id);
    expect(user.is_admin).toBe(false);
    const unknown = await run(["user", "add", "li", "--department", "nowhere"], "li-password-1\n");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No department "nowhere"/);
  });

  it("refuses a short password, a taken login and a bad command line", async () => {
    const short = await run(["user", "add", "wu"], "short\n");
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/at least 8 characters/);
    const taken = await run(["user", "add", "ROOT"], "another-password\n");
    expect(taken.code).toBe(1);
    expect(taken.err).toMatch(/taken/);
    expect((await run(["user", "remove", "root"], "")).code).toBe(2);
    expect((await run(["user", "add"], "")).code).toBe(2);
  });
});
