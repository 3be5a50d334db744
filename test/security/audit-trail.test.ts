import {
  createTestDepartment,
  createTestRole,
  createTestUser,
  defineEntities,
  startTestEngine,
  type TestEngine,
} from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let engine: TestEngine;
let seller: { id: string; login: string; token: string };
let successor: { id: string; login: string; token: string };
let departments: { sales: string; north: string };

const lead = {
  name: "lead",
  label: { en: "Lead", zh: "线索" },
  ownership: "user" as const,
  fields: [
    { name: "name", type: "text" as const, required: true },
    { name: "code", type: "text" as const, unique: true },
    { name: "stage", type: "enum" as const, values: ["new", "won", "lost"] },
  ],
};

const task = {
  name: "task",
  label: { en: "Task", zh: "任务" },
  fields: [
    { name: "title", type: "text" as const },
    { name: "lead", type: "reference" as const, target: "lead", onDelete: "cascade" as const },
  ],
};

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [lead, task]);
  const sales = await createTestDepartment(engine.ctx, { name: "Sales" });
  const north = await createTestDepartment(engine.ctx, { name: "North", parentId: sales.id });
  departments = { sales: sales.id, north: north.id };
  const role = await createTestRole(engine.ctx, {
    name: "seller",
    permissions: { lead: { create: "all", read: "own", update: "own", delete: "own" } },
  });
  seller = await createTestUser(engine.ctx, { login: "seller", departmentId: sales.id, roleIds: [role.id] });
  successor = await createTestUser(engine.ctx, { login: "successor", departmentId: north.id, roleIds: [role.id] });
});
afterAll(() => engine?.close());

const trail = async (id: string, token?: string) =>
  (await engine.http(`/api/audit?entity=lead&record=${id}`, { as: token })).body.data.reverse();

describe("the audit trail", () => {
  it("records create, update, delete and restore with actor, channel and old/new values", async () => {
    const created = await engine.http("/api/data/lead", {
      method: "POST",
      body: { name: "Acme", stage: "new" },
      as: seller.token,
    });
    expect(created.status).toBe(201);
    expect(created.body.owner_id).toBe(seller.id);
    expect(created.body.department_id).toBe(departments.sales);
    const id = created.body.id;
    await engine.http(`/api/data/lead/${id}`, { method: "PATCH", body: { stage: "won" }, as: seller.token });
    await engine.http(`/api/data/lead/${id}`, { method: "DELETE", as: seller.token });
    await engine.http(`/api/data/lead/${id}/restore`, { method: "POST", as: seller.token });
    const rows = await trail(id, seller.token);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(["create", "update", "delete", "restore"]);
    expect(rows[0]).toMatchObject({ actorId: seller.id, actorLogin: "seller", channel: "api", recordId: id });
    expect(rows[0].changes.name).toEqual({ old: null, new: "Acme" });
    expect(rows[1].changes).toEqual({ stage: { old: "new", new: "won" } });
    expect(rows[2].changes.deleted_at.old).toBeNull();
    expect(rows[3].changes.deleted_at.new).toBeNull();
    const mine = await engine.http(`/api/audit?user=${seller.id}`, { as: seller.token });
    expect(mine.body.data.length).toBeGreaterThanOrEqual(4);
    expect((await engine.http(`/api/audit?user=${seller.id}`, { as: successor.token })).status).toBe(403);
  });

  it("records every record of a bulk upsert with its old and new values", async () => {
    const first = await engine.http("/api/data/lead/bulk", {
      method: "POST",
      body: {
        records: [
          { name: "One", code: "L1" },
          { name: "Two", code: "L2", stage: "new" },
        ],
        upsertBy: "code",
      },
      as: seller.token,
    });
    expect(first.status).toBe(200);
    const second = await engine.http("/api/data/lead/bulk", {
      method: "POST",
      body: {
        records: [
          { code: "L2", stage: "lost" },
          { name: "Three", code: "L3" },
        ],
        upsertBy: "code",
      },
      as: seller.token,
    });
    expect(second.body).toMatchObject({ created: 1, updated: 1 });
    const [l1, l2] = first.body.ids;
    const l3 = second.body.ids[1];
    expect((await trail(l1)).map((r: { action: string }) => r.action)).toEqual(["create"]);
    const two = await trail(l2);
    expect(two.map((r: { action: string }) => r.action)).toEqual(["create", "update"]);
    expect(two[1].changes).toEqual({ stage: { old: "new", new: "lost" } });
    expect((await trail(l3))[0].changes.name).toEqual({ old: null, new: "Three" });
    const record = await engine.http(`/api/data/lead/${l3}`);
    expect(record.body.owner_id).toBe(seller.id);
  });

  it("records the records a delete cascades to", async () => {
    const parent = await engine.http("/api/data/lead", { method: "POST", body: { name: "Parent" } });
    const child = await engine.http("/api/data/task", {
      method: "POST",
      body: { title: "Call", lead: parent.body.id },
    });
    expect((await engine.http(`/api/data/lead/${parent.body.id}`, { method: "DELETE" })).status).toBe(200);
    const rows = (await engine.http(`/api/audit?entity=task&record=${child.body.id}`)).body.data;
    expect(rows[0].action).toBe("delete");
    expect(rows[0].actorLogin).toBe(engine.admin.login);
    expect(rows[0].changes.deleted_at.old).toBeNull();
    expect(rows[0].changes.deleted_at.new).toEqual(expect.any(String));
  });

  it("refuses to alter or delete an audit row, even straight in the database", async () => {
    const knex = engine.ctx.db.knex;
    await expect(knex("kehu.audit_log").update({ action: "forged" })).rejects.toThrow(/append-only/);
    await expect(knex("kehu.audit_log").delete()).rejects.toThrow(/append-only/);
    const routes = await engine.http("/api/audit", { method: "DELETE" });
    expect(routes.status).toBe(404);
  });
});

describe("ownership transfer", () => {
  it("moves all records of a user to another user and department in one audited operation", async () => {
    const res = await engine.http("/api/data/lead?limit=1000", { as: seller.token });
    const owned = res.body.data.map((r: { id: string }) => r.id);
    expect(owned.length).toBeGreaterThan(0);
    const refused = await engine.http("/api/admin/ownership/transfer", {
      method: "POST",
      body: { entity: "lead", from: seller.id, toUser: successor.id },
      as: seller.token,
    });
    expect(refused.status).toBe(403);
    const moved = await engine.http("/api/admin/ownership/transfer", {
      method: "POST",
      body: { entity: "lead", from: seller.id, toUser: successor.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.transferred).toBe(owned.length);
    expect((await engine.http("/api/data/lead", { as: seller.token })).body.data).toEqual([]);
    const now = await engine.http("/api/data/lead?limit=1000", { as: successor.token });
    expect(now.body.data.map((r: { id: string }) => r.id).sort()).toEqual([...owned].sort());
    expect(now.body.data.every((r: { department_id: string }) => r.department_id === departments.north)).toBe(true);
    const rows = await trail(owned[0]);
    const last = rows[rows.length - 1];
    expect(last.action).toBe("ownership");
    expect(last.changes.owner_id).toEqual({ old: seller.id, new: successor.id });
    expect(rows.length).toBeGreaterThan(1);
  });

  it("transfers a filtered set to a named department", async () => {
    const moved = await engine.http("/api/admin/ownership/transfer", {
      method: "POST",
      body: { entity: "lead", filter: { code: { eq: "L1" } }, toUser: seller.id, toDepartment: departments.sales },
    });
    expect(moved.body.transferred).toBe(1);
    const mine = await engine.http("/api/data/lead", { as: seller.token });
    expect(mine.body.data.map((r: { code: string }) => r.code)).toEqual(["L1"]);
    const bad = await engine.http("/api/admin/ownership/transfer", {
      method: "POST",
      body: { entity: "lead", toUser: "nope" },
    });
    expect(bad.status).toBe(400);
  });
});

describe("the permission explainer", () => {
  it("says why a user may or may not read and update a record, with the deciding rules", async () => {
    const mine = (await engine.http("/api/data/lead", { as: seller.token })).body.data[0];
    const yes = await engine.http(`/api/admin/explain?user=seller&entity=lead&id=${mine.id}`);
    expect(yes.status).toBe(200);
    expect(yes.body.read.allowed).toBe(true);
    expect(yes.body.update.allowed).toBe(true);
    expect(yes.body.read.chain[0]).toMatchObject({ rule: "role_scope", role: "seller", scope: "own", matches: true });
    const no = await engine.http(`/api/admin/explain?user=${successor.id}&entity=lead&id=${mine.id}&field=stage`);
    expect(no.body.read.allowed).toBe(false);
    expect(no.body.read.chain[0].detail).toContain("is not one");
    expect(no.body.update.allowed).toBe(false);
    expect(
      (await engine.http(`/api/admin/explain?user=seller&entity=lead&id=${mine.id}`, { as: seller.token })).status,
    ).toBe(403);
  });
});
