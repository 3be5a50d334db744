import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleContact, sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";
import { createTestUser } from "../../testing/test-users";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [sampleCustomer, sampleContact]);
  await engine.http("/api/admin/users", {
    method: "POST",
    body: { login: "mei", displayName: "Mei", password: "correct-horse-1" },
  });
});
afterAll(() => engine.close());

const login = (body: unknown, headers: Record<string, string> = {}) =>
  engine.http("/api/auth/login", { method: "POST", body, headers, anonymous: true });

async function session() {
  const res = await login({ login: "mei", password: "correct-horse-1" });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, csrf: res.body.csrfToken as string, res };
}

describe("authentication", () => {
  it("refuses a request without credentials with 401 problem+json and a challenge", async () => {
    const res = await engine.http("/api/data/customer", { anonymous: true });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.body.type).toMatch(/unauthorized$/);
    expect((await engine.http("/api/openapi.json", { anonymous: true })).status).toBe(200);
    expect((await engine.http("/api/data/customer", { as: "kehu_not-a-real-token" })).status).toBe(401);
  });

  it("lets a read-only token read but not write", async () => {
    const created = await engine.http("/api/auth/tokens", { method: "POST", body: { name: "bi", access: "read" } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^kehu_[A-Za-z0-9_-]{43}$/);
    expect((await engine.http("/api/data/customer", { as: token })).status).toBe(200);
    const write = await engine.http("/api/data/customer", { method: "POST", body: { name: "x" }, as: token });
    expect(write.status).toBe(403);
  });

  it("keeps an entity-limited token to its entities", async () => {
    const created = await engine.http("/api/auth/tokens", {
      method: "POST",
      body: { name: "crm sync", access: "write", entities: ["contact"] },
    });
    const token = created.body.token as string;
    expect((await engine.http("/api/data/contact", { as: token })).status).toBe(200);
    expect((await engine.http("/api/data/customer", { as: token })).status).toBe(403);
    const wider = await engine.http("/api/auth/tokens", {
      method: "POST",
      body: { name: "all", access: "write" },
      as: token,
    });
    expect(wider.status).toBe(403);
    const bad = await engine.http("/api/auth/tokens", {
      method: "POST",
      body: { name: "", access: "admin", entities: ["nope"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/access", "/entities/0", "/name"]);
  });

  it("lists tokens without their secrets, records use, and refuses a revoked token at once", async () => {
    const created = await engine.http("/api/auth/tokens", { method: "POST", body: { name: "temp", access: "write" } });
    const { id, token } = created.body;
    expect((await engine.http("/api/data/customer", { as: token })).status).toBe(200);
    const list = await engine.http("/api/auth/tokens");
    const mine = list.body.data.find((t: { id: string }) => t.id === id);
    expect(mine).toMatchObject({ name: "temp", access: "write", entities: null, revokedAt: null });
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await engine.http(`/api/auth/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await engine.http("/api/data/customer", { as: token })).status).toBe(401);
    expect((await engine.http(`/api/auth/tokens/${id}`, { method: "DELETE", as: (await other()).token })).status).toBe(
      404,
    );
  });

  it("logs in with a session cookie (HttpOnly, SameSite=Lax, Secure behind TLS) and answers who I am", async () => {
    const { cookie, csrf, res } = await session();
    const set = res.headers.get("set-cookie")!;
    expect(set).toMatch(/^kehu_session=[A-Za-z0-9_-]+;/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).not.toMatch(/Secure/);
    expect(res.body.user).toMatchObject({ login: "mei", displayName: "Mei", isAdmin: false });
    expect(JSON.stringify(res.body)).not.toContain("password");
    const overTls = await login({ login: "mei", password: "correct-horse-1" }, { "x-forwarded-proto": "https" });
    expect(overTls.headers.get("set-cookie")).toMatch(/; Secure/);
    const me = await engine.http("/api/auth/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { login: "mei" }, channel: "studio", csrfToken: csrf });
  });

  it("needs the CSRF header for cookie-authenticated writes", async () => {
    const { cookie, csrf } = await session();
    const body = { name: "t", access: "read" };
    const without = await engine.http("/api/auth/tokens", { method: "POST", body, headers: { cookie } });
    expect(without.status).toBe(403);
    const wrong = await engine.http("/api/auth/tokens", {
      method: "POST",
      body,
      headers: { cookie, "x-csrf-token": `${csrf}x` },
    });
    expect(wrong.status).toBe(403);
    const right = await engine.http("/api/auth/tokens", {
      method: "POST",
      body,
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(right.status).toBe(201);
  });

  it("ends the session on logout", async () => {
    const { cookie, csrf } = await session();
    const out = await engine.http("/api/auth/logout", { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/kehu_session=;/);
    expect((await engine.http("/api/auth/me", { headers: { cookie } })).status).toBe(401);
  });

  it("refuses an expired session", async () => {
    const { cookie } = await session();
    expect((await engine.http("/api/auth/me", { headers: { cookie } })).status).toBe(200);
    await engine.ctx.db.knex("kehu.sessions").update({ expires_at: new Date(Date.now() - 1000) });
    const res = await engine.http("/api/auth/me", { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it("gives the same answer for a wrong password and an unknown login", async () => {
    const wrong = await login({ login: "mei", password: "not-the-password" });
    const unknown = await login({ login: "nobody-here", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const missing = await login({ login: "mei" });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: "/password", message: expect.any(String) }]);
  });
});

let otherUser: { token: string } | undefined;
async function other() {
  otherUser ??= await createTestUser(engine.ctx, { login: "other" });
  return otherUser;
}

describe("login rate limits", () => {
  it("answers the 11th failure for one account with 429 and Retry-After, even with the right password", async () => {
    await engine.http("/api/admin/users", { method: "POST", body: { login: "lin", password: "lin-password-1" } });
    for (let i = 0; i < 10; i++) expect((await login({ login: "lin", password: `wrong-${i}` })).status).toBe(401);
    const limited = await login({ login: "lin", password: "lin-password-1" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
    expect((await login({ login: "mei", password: "correct-horse-1" })).status).toBe(200);
  });

  it("limits failures per address across logins", async () => {
    await engine.ctx.db.knex("kehu.login_failures").delete();
    for (let i = 0; i < 30; i++) await login({ login: `ghost-${i}`, password: "whatever-123" });
    expect((await login({ login: "mei", password: "correct-horse-1" })).status).toBe(429);
    await engine.ctx.db.knex("kehu.login_failures").delete();
  });
});
