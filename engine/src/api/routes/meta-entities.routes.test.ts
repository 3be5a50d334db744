import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerEntity } from "../../metadata/test-kit";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(() => engine.close());

const PROBLEM = "application/problem+json";
const base = "/api/meta/entities";

describe("/api/meta/entities", () => {
  it("creates an entity: a dry run writes nothing, then 201 with the stored definition and plan", async () => {
    const dry = await engine.http(`${base}?dryRun=1`, { method: "POST", body: customerEntity() });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, plan: { entity: "customer", steps: [{ kind: "create_table" }] } });
    expect((await engine.http(`${base}/customer`)).status).toBe(404);

    const created = await engine.http(base, { method: "POST", body: customerEntity() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ revision: 1, plan: { destructive: false }, definition: { name: "customer" } });
    expect(created.body.definition.fields.every((f: { id?: string }) => f.id)).toBe(true);
    expect(engine.ctx.registry.has("customer")).toBe(true);
  });

  it("refuses creating an entity that exists", async () => {
    const again = await engine.http(base, { method: "POST", body: customerEntity() });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe(PROBLEM);
  });

  it("lists and reads definitions, and answers 404 problem+json for an unknown one", async () => {
    const list = await engine.http(base);
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { name: string }) => d.name)).toEqual(["customer"]);
    const one = await engine.http(`${base}/customer`);
    expect(one.body).toMatchObject({ revision: 1, definition: { name: "customer", titleField: "name" } });
    const missing = await engine.http(`${base}/nobody`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe(PROBLEM);
    expect((await engine.http(`${base}/nobody/revisions`)).status).toBe(404);
    expect((await engine.http(`${base}/nobody`, { method: "PUT", body: { ...customerEntity("nobody") } })).status).toBe(
      404,
    );
  });

  it("names every bad path of invalid metadata, relative to the body", async () => {
    const res = await engine.http(base, {
      method: "POST",
      body: {
        name: "lead",
        fields: [
          { name: "id", type: "text" },
          { name: "tier", type: "enum" },
          { name: "owner", type: "reference", target: "nobody" },
          { name: "x", type: "blob" },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["/fields/3/type"]);
    const semantic = await engine.http(base, {
      method: "POST",
      body: {
        name: "lead",
        fields: [
          { name: "id", type: "text" },
          { name: "tier", type: "enum" },
          { name: "owner", type: "reference", target: "nobody" },
        ],
      },
    });
    expect(semantic.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "/fields/0/name",
      "/fields/1/values",
      "/fields/2/target",
    ]);
  });

  it("updates with PUT; the body must name the entity of the path", async () => {
    const { body: current } = await engine.http(`${base}/customer`);
    const mismatch = await engine.http(`${base}/customer`, {
      method: "PUT",
      body: { ...current.definition, name: "client" },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toEqual([{ path: "/name", message: 'must be "customer", as in the path' }]);

    await engine.ctx.db.knex("data.customer").insert([
      { name: "Acme", code: "A-1" },
      { name: "Globex", code: "G-1" },
    ]);
    const next = structuredClone(current.definition);
    next.fields.push({ name: "vip", type: "boolean", default: false });
    const dry = await engine.http(`${base}/customer?dryRun=1`, { method: "PUT", body: next });
    expect(dry.body.plan.steps.map((s: { kind: string }) => s.kind)).toEqual(["add_field"]);
    expect((await engine.http(`${base}/customer`)).body.revision).toBe(1);

    const updated = await engine.http(`${base}/customer`, { method: "PUT", body: next });
    expect(updated.status).toBe(200);
    expect(updated.body.revision).toBe(2);
    expect(await engine.ctx.db.knex("data.customer").pluck("vip")).toEqual([false, false]);
  });

  it("answers 409 listing the destructive steps without confirm, and drops with confirm=1", async () => {
    const { body: current } = await engine.http(`${base}/customer`);
    const next = structuredClone(current.definition);
    next.fields = next.fields.filter((f: { name: string }) => f.name !== "code");
    const refused = await engine.http(`${base}/customer`, { method: "PUT", body: next });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe(PROBLEM);
    expect(refused.body).toMatchObject({
      title: "Confirmation required",
      destructiveSteps: [{ entity: "customer", kind: "drop_field", field: "code" }],
      errors: [{ path: "/", message: expect.stringContaining("Drop field code") }],
    });
    const confirmed = await engine.http(`${base}/customer?confirm=1`, { method: "PUT", body: next });
    expect(confirmed.status).toBe(200);
    expect(
      await engine.ctx.db.knex("kehu.archived_values").where({ entity: "customer", field: "code" }).count(),
    ).toEqual([{ count: 2 }]);
  });

  it("answers 409 with the offending rows when the data does not fit", async () => {
    const { body: current } = await engine.http(`${base}/customer`);
    const next = structuredClone(current.definition);
    next.fields.find((f: { name: string }) => f.name === "name").type = "integer";
    const res = await engine.http(`${base}/customer?dryRun=1`, { method: "PUT", body: next });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ title: "Migration refused", errors: [{ path: "/fields/0/type" }] });
    expect(res.body.offending[0]).toMatchObject({ count: 2 });
    expect(res.body.offending[0].values.sort()).toEqual(["Acme", "Globex"]);
  });

  it("lists revisions newest first with actor and plan summary", async () => {
    const res = await engine.http(`${base}/customer/revisions`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { action: string; actor: string }) => [r.action, r.actor])).toEqual([
      ["update", "system"],
      ["update", "system"],
      ["create", "system"],
    ]);
    expect(res.body.data[0].summary).toContainEqual(expect.stringContaining("Drop field code"));
    expect(res.body.data[0].before.fields.some((f: { name: string }) => f.name === "code")).toBe(true);
    expect(res.body.data[2]).toMatchObject({ before: null, at: expect.stringMatching(/Z$/) });
  });

  it("deletes an entity: refused while referenced, dry run, then with confirm", async () => {
    const contract = { name: "contract", fields: [{ name: "customer", type: "reference", target: "customer" }] };
    expect((await engine.http(base, { method: "POST", body: contract })).status).toBe(201);
    const referenced = await engine.http(`${base}/customer?confirm=1`, { method: "DELETE" });
    expect(referenced.status).toBe(409);
    expect(referenced.body.errors).toEqual([{ path: "/contract/fields/0/target", message: expect.any(String) }]);

    const dry = await engine.http(`${base}/contract?dryRun=1`, { method: "DELETE" });
    expect(dry.body).toMatchObject({ dryRun: true, plan: { destructive: true } });
    expect((await engine.http(`${base}/contract`, { method: "DELETE" })).status).toBe(409);
    const deleted = await engine.http(`${base}/contract?confirm=1`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect((await engine.http(`${base}/contract`)).status).toBe(404);
    expect(engine.ctx.registry.has("contract")).toBe(false);
  });

  it("refuses indexes that are not a list of indexes with a 400 naming them, and creates nothing", async () => {
    for (const indexes of [{ not: "a list" }, [null], "name"]) {
      const res = await engine.http(base, { method: "POST", body: { ...customerEntity(), name: "prospect", indexes } });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContainEqual(expect.stringMatching(/^\/indexes/));
    }
    expect((await engine.http(`${base}/prospect`)).status).toBe(404);
  });
});
