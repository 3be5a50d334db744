import { KehuApiError, KehuClient } from "@kehu/client";
import { createTestUser, sampleCustomer, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await createTestUser(engine.ctx, { login: "ada", isAdmin: true, password: "correct horse battery" });
});
afterAll(() => engine.close());

/** A fetch that keeps the cookies the server sets, like a browser on one origin. */
function cookieFetch(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair.split("=");
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return res;
  };
}

describe("the client in cookie-session mode (the studio's way in)", () => {
  it("logs in, writes with the session's CSRF token, previews and applies an entity, reads the audit trail", async () => {
    const kehu = new KehuClient({ baseUrl: engine.server.url, fetch: cookieFetch() });
    const session = await kehu.auth.login("ada", "correct horse battery");
    expect(session.user).toMatchObject({ login: "ada", isAdmin: true });
    expect(session.csrfToken).toMatch(/^[\w-]{16,}$/);

    const preview = await kehu.entities.preview(sampleCustomer, true);
    expect(preview.plan.steps.map((s) => s.kind)).toContain("create_table");
    expect(await kehu.entities.list()).toEqual([]);
    await kehu.entities.apply(sampleCustomer, true);
    expect((await kehu.entities.list()).map((e) => e.name)).toEqual(["customer"]);
    expect((await kehu.entities.get("customer")).definition.name).toBe("customer");

    const created = await kehu.data("customer").create({ name: "华为" });
    await kehu.data("customer").update(created.id, { name: "华为技术" }, created.version);
    const trail = await kehu.audit("customer", created.id);
    expect(trail.data.map((a) => a.action)).toEqual(["update", "create"]);
    expect(trail.data[0].channel).toBe("studio");
    const revisions = await kehu.entities.revisions("customer");
    expect(revisions.data[0].summary.length).toBeGreaterThan(0);

    const me = await new KehuClient({ baseUrl: engine.server.url, fetch: cookieFetch() }).auth
      .me()
      .catch((e: KehuApiError) => e);
    expect(me).toBeInstanceOf(KehuApiError);
    expect((me as KehuApiError).status).toBe(401);
  });

  it("is refused a write without the CSRF token, and picks the token up again from me()", async () => {
    const jarFetch = cookieFetch();
    await new KehuClient({ baseUrl: engine.server.url, fetch: jarFetch }).auth.login("ada", "correct horse battery");
    const fresh = new KehuClient({ baseUrl: engine.server.url, fetch: jarFetch });
    const refused = await fresh
      .data("customer")
      .create({ name: "no token" })
      .catch((e: KehuApiError) => e);
    expect((refused as KehuApiError).status).toBe(403);
    expect((refused as KehuApiError).message).toContain("x-csrf-token");
    await fresh.auth.me();
    expect(await fresh.data("customer").create({ name: "with token" })).toMatchObject({ name: "with token" });
    await fresh.auth.logout();
    const after = await fresh
      .data("customer")
      .list()
      .catch((e: KehuApiError) => e);
    expect((after as KehuApiError).status).toBe(401);
  });
});

describe("downloads (exports) through the client", () => {
  it("returns the file as a Blob, and a problem as KehuApiError", async () => {
    const kehu = new KehuClient({ baseUrl: engine.server.url, token: engine.admin.token });
    const file = await kehu.download("/api/openapi.json");
    expect(JSON.parse(await file.blob.text())).toHaveProperty("openapi");
    const missing = await kehu.download("/api/data/no_such_entity/export?format=csv").catch((e: KehuApiError) => e);
    expect(missing).toBeInstanceOf(KehuApiError);
    expect((missing as KehuApiError).status).toBe(404);
    expect((missing as KehuApiError).problem.title).toBeTruthy();
  });
});
