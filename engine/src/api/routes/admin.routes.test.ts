import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";
import { createTestUser } from "../../testing/test-users";

let engine: TestEngine;
let clerk: { id: string; token: string };
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [sampleCustomer]);
  clerk = await createTestUser(engine.ctx, { login: "clerk" });
});
afterAll(() => engine.close());

const post = (path: string, body: unknown) => engine.http(path, { method: "POST", body });
const patch = (path: string, body: unknown) => engine.http(path, { method: "PATCH", body });
const paths = (res: { body: { errors?: Array<{ path: string }> } }) => res.body.errors?.map((e) => e.path).sort();
const loginAs = (login: string, password: string) =>
  engine.http("/api/auth/login", { method: "POST", body: { login, password }, anonymous: true });

describe("admin API", () => {
  it("is for administrators only", async () => {
    for (const path of ["/api/admin/users", "/api/admin/departments", "/api/admin/roles"])
      expect((await engine.http(path, { as: clerk.token })).status).toBe(403);
    expect((await engine.http("/api/admin/users", { anonymous: true })).status).toBe(401);
  });

  it("creates users, sets a password, deactivates them, and never shows a password", async () => {
    const bad = await post("/api/admin/users", {
      login: "a b",
      email: "nope",
      password: "short",
      isAdmin: "yes",
      x: 1,
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(["/email", "/isAdmin", "/login", "/password", "/x"]);
    const created = await post("/api/admin/users", {
      login: "Wang.Fang",
      email: "wf@example.com",
      password: "first-pass-1",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ login: "Wang.Fang", displayName: "Wang.Fang", locale: "zh-CN", active: true });
    expect(JSON.stringify(created.body)).not.toMatch(/password|first-pass/);
    expect((await post("/api/admin/users", { login: "wang.fang" })).status).toBe(409);
    expect((await loginAs("wang.fang", "first-pass-1")).status).toBe(200);

    const id = created.body.id;
    expect((await patch(`/api/admin/users/${id}`, { password: "second-pass-2" })).status).toBe(200);
    expect((await loginAs("Wang.Fang", "first-pass-1")).status).toBe(401);
    expect((await loginAs("Wang.Fang", "second-pass-2")).status).toBe(200);

    const token = (await createTokenFor(id)).token;
    expect((await engine.http("/api/auth/me", { as: token })).status).toBe(200);
    const off = await engine.http(`/api/admin/users/${id}`, { method: "DELETE" });
    expect(off.body.active).toBe(false);
    expect((await engine.http("/api/auth/me", { as: token })).status).toBe(401);
    expect((await loginAs("Wang.Fang", "second-pass-2")).status).toBe(401);

    expect((await engine.http("/api/admin/users/00000000-0000-0000-0000-000000000001")).status).toBe(404);
    expect((await engine.http("/api/admin/users/not-an-id")).status).toBe(404);
    const list = await engine.http("/api/admin/users");
    expect(list.body.data.map((u: { login: string }) => u.login)).toContain("Wang.Fang");
  });

  it("keeps departments as a tree and refuses cycles", async () => {
    const hq = (await post("/api/admin/departments", { name: "总部", code: "HQ" })).body;
    const sales = (await post("/api/admin/departments", { name: "销售部", parentId: hq.id })).body;
    const east = (await post("/api/admin/departments", { name: "华东区", parentId: sales.id })).body;
    const tree = await engine.http("/api/admin/departments");
    expect(tree.body.data).toEqual([
      expect.objectContaining({
        name: "总部",
        children: [expect.objectContaining({ name: "销售部", children: [expect.objectContaining({ id: east.id })] })],
      }),
    ]);
    const cycle = await patch(`/api/admin/departments/${hq.id}`, { parentId: east.id });
    expect(cycle.status).toBe(400);
    expect(paths(cycle)).toEqual(["/parentId"]);
    expect((await patch(`/api/admin/departments/${sales.id}`, { parentId: sales.id })).status).toBe(400);
    expect(
      (await post("/api/admin/departments", { name: "x", parentId: "00000000-0000-0000-0000-000000000001" })).status,
    ).toBe(400);
    expect((await post("/api/admin/departments", {})).status).toBe(400);
    expect((await post("/api/admin/departments", { name: "dup", code: "HQ" })).status).toBe(409);
    expect((await engine.http(`/api/admin/departments/${sales.id}`, { method: "DELETE" })).status).toBe(409);
    expect((await engine.http(`/api/admin/departments/${east.id}`, { method: "DELETE" })).status).toBe(204);
    const user = await post("/api/admin/users", { login: "in-sales", departmentId: sales.id });
    expect(user.body.departmentId).toBe(sales.id);
  });

  it("manages roles and replaces their permission rows, checked against the registry", async () => {
    const role = await post("/api/admin/roles", { name: "sales", label: { en: "Sales", zh: "销售" } });
    expect(role.status).toBe(201);
    const url = `/api/admin/roles/${role.body.id}/permissions`;
    const body = {
      entities: { customer: { read: "department_tree", update: "own" } },
      fields: { customer: { credit: { read: true, write: false } } },
    };
    const put = await engine.http(url, { method: "PUT", body });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(body);
    const replaced = await engine.http(url, { method: "PUT", body: { entities: { customer: { read: "all" } } } });
    expect(replaced.body).toEqual({ entities: { customer: { read: "all" } }, fields: {} });
    const bad = await engine.http(url, {
      method: "PUT",
      body: {
        entities: { nope: { read: "all" }, customer: { read: "everyone", approve: "all" } },
        fields: { customer: { missing: { read: true, write: false }, name: { read: "yes" } } },
      },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual([
      "/entities/customer/approve",
      "/entities/customer/read",
      "/entities/nope",
      "/fields/customer/missing",
      "/fields/customer/name",
    ]);
    expect((await engine.http(url)).body).toEqual({ entities: { customer: { read: "all" } }, fields: {} });
    expect((await engine.http(url, { method: "PUT", body, as: clerk.token })).status).toBe(403);
    expect(
      (await engine.http("/api/admin/roles/00000000-0000-0000-0000-000000000001/permissions", { method: "PUT", body }))
        .status,
    ).toBe(404);
    expect((await post("/api/admin/roles", { name: "sales" })).status).toBe(409);
    const assigned = await patch(`/api/admin/users/${clerk.id}`, { roleIds: [role.body.id] });
    expect(assigned.body.roleIds).toEqual([role.body.id]);
    const me = await engine.http("/api/auth/me", { as: clerk.token });
    expect(me.body.user.roleIds).toEqual([role.body.id]);
    expect(
      (await patch(`/api/admin/users/${clerk.id}`, { roleIds: ["00000000-0000-0000-0000-000000000001"] })).status,
    ).toBe(400);
    expect((await engine.http(`/api/admin/roles/${role.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await engine.http(`/api/admin/users/${clerk.id}`)).body.roleIds).toEqual([]);
  });
});

async function createTokenFor(userId: string) {
  const { createApiToken } = await import("../../security/api-tokens");
  return createApiToken(engine.ctx.db.knex, userId, { name: "t", access: "write", entities: null });
}
