import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formDependents } from "../../forms/form-dependents";
import { createTestRole, createTestUser, defineEntities, startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
let sales: string;
let clerk: string;
let outsider: string;

const contract = {
  name: "contract",
  fields: [
    { name: "title", type: "text" as const, required: true },
    { name: "amount", type: "money" as const },
    { name: "status", type: "enum" as const, values: ["draft", "signed"] },
    { name: "margin", type: "decimal" as const },
  ],
};
const form = (name: string, role: string | null, fields: unknown[]) => ({
  entity: "contract",
  name,
  role,
  label: { en: "Contract", zh: "合同" },
  sections: [{ title: { en: "Amounts", zh: "金额" }, columns: 2, fields }],
});

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [contract]);
  const salesRole = await createTestRole(engine.ctx, {
    name: "sales",
    permissions: { contract: { read: "all" } },
    fields: { contract: { margin: { read: false, write: false } } },
  });
  const clerkRole = await createTestRole(engine.ctx, { name: "clerk", permissions: { contract: { read: "all" } } });
  sales = (await createTestUser(engine.ctx, { login: "li", roleIds: [salesRole.id] })).token;
  clerk = (await createTestUser(engine.ctx, { login: "wang", roleIds: [clerkRole.id] })).token;
  outsider = (await createTestUser(engine.ctx, { login: "zhao" })).token;
});
afterAll(() => engine?.close());

describe("/api/meta/forms", () => {
  it("checks with dryRun, creates, replaces with a new revision, lists and gets", async () => {
    const body = form("default", null, [{ field: "title" }, { field: "amount" }, { field: "margin" }]);
    const dry = await engine.http("/api/meta/forms/contract/default?dryRun=1", { method: "PUT", body });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: true, revision: 1 });
    expect((await engine.http("/api/meta/forms?entity=contract")).body.data).toEqual([]);
    expect((await engine.http("/api/meta/forms/contract/default", { method: "PUT", body })).status).toBe(201);
    const again = await engine.http("/api/meta/forms/contract/default", { method: "PUT", body });
    expect(again.body).toMatchObject({ revision: 2, created: false });
    const got = await engine.http("/api/meta/forms/contract/default");
    expect(got.body).toMatchObject({ revision: 2, updatedBy: "system", definition: { role: null } });
    expect((await engine.http("/api/meta/forms?entity=contract")).body.data).toHaveLength(1);
  });

  it("answers problems as problem+json pointing into the body, and writes nothing", async () => {
    const bad = form("bad", "sales", [{ field: "nope" }, { field: "amount", widget: "checkbox" }]);
    const res = await engine.http("/api/meta/forms/contract/bad", { method: "PUT", body: bad });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toEqual([
      { path: "/sections/0/fields/0/field", message: 'contract has no field "nope"' },
      expect.objectContaining({ path: "/sections/0/fields/1/widget" }),
    ]);
    expect((await engine.http("/api/meta/forms/contract/bad")).status).toBe(404);
    const clash = await engine.http("/api/meta/forms/contract/other", { method: "PUT", body: form("other", null, []) });
    expect(clash.body.errors).toEqual([
      { path: "/role", message: 'form "default" is already the default form of contract' },
    ]);
    const mismatch = await engine.http("/api/meta/forms/contract/x", { method: "PUT", body: form("y", null, []) });
    expect(mismatch.body.errors).toEqual([{ path: "/name", message: 'must be "x", as in the path' }]);
  });

  it("lets only administrators read or write definitions", async () => {
    expect((await engine.http("/api/meta/forms", { as: sales })).status).toBe(403);
    const put = await engine.http("/api/meta/forms/contract/mine", { method: "PUT", as: sales, body: {} });
    expect(put.status).toBe(403);
  });

  it("resolves the caller's form: their role's, else the default, without hidden fields", async () => {
    const body = form("sales_form", "sales", [{ field: "amount" }, { field: "margin" }, { field: "title" }]);
    expect((await engine.http("/api/meta/forms/contract/sales_form", { method: "PUT", body })).status).toBe(201);
    const forSales = await engine.http("/api/meta/entities/contract/form", { as: sales });
    expect(forSales.body.form.name).toBe("sales_form");
    expect(forSales.body.form.sections[0].fields.map((f: { field: string }) => f.field)).toEqual(["amount", "title"]);
    const forClerk = await engine.http("/api/meta/entities/contract/form", { as: clerk });
    expect(forClerk.body.form.name).toBe("default");
    expect(forClerk.body.form.sections[0].fields).toHaveLength(3);
    expect((await engine.http("/api/meta/entities/contract/form", { as: outsider })).status).toBe(404);
  });

  it("registers the fields forms show as dependants, and deletes", async () => {
    const listed = await formDependents(engine.ctx.db.knex);
    expect(listed).toContainEqual({
      kind: "form",
      id: "contract/sales_form/margin",
      label: 'form "sales_form" of contract shows margin',
      entity: "contract",
      field: "margin",
    });
    const all = await engine.ctx.dependents.collect(engine.ctx.db.knex);
    expect(all.filter((d) => d.kind === "form" && d.field === "amount")).toHaveLength(2);
    expect((await engine.http("/api/meta/forms/contract/sales_form", { method: "DELETE" })).status).toBe(204);
    expect((await engine.http("/api/meta/forms/contract/sales_form", { method: "DELETE" })).status).toBe(404);
    const forSales = await engine.http("/api/meta/entities/contract/form", { as: sales });
    expect(forSales.body.form.name).toBe("default");
    expect(forSales.body.form.sections[0].fields.map((f: { field: string }) => f.field)).toEqual(["title", "amount"]);
  });

  it("registers the fields a visibility rule compares as dependants, at any depth", async () => {
    const visibleWhen = { or: [{ status: { eq: "signed" } }, { not: { margin: { gt: 5 } } }] };
    const body = form("rules", "clerk", [{ field: "title", visibleWhen }]);
    const put = await engine.http("/api/meta/forms/contract/rules", { method: "PUT", body });
    expect(put.body.errors).toBeUndefined();
    expect(put.status).toBe(201);
    const ids = (await formDependents(engine.ctx.db.knex))
      .map((d) => d.id)
      .filter((id) => id.startsWith("contract/rules/"));
    expect(ids.sort()).toEqual(["contract/rules/margin", "contract/rules/status", "contract/rules/title"]);
    expect((await engine.http("/api/meta/forms/contract/rules", { method: "DELETE" })).status).toBe(204);
  });
});
