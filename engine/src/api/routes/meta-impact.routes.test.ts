import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, startTestEngine, type TestEngine } from "../../testing";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  engine.ctx.dependents.register("test-forms", async () => [
    {
      kind: "form",
      id: "contract.default",
      label: 'form "contract.default" shows contract.note',
      entity: "contract",
      field: "note",
    },
  ]);
  const customer = {
    name: "customer",
    fields: [
      { name: "name", type: "text" },
      { name: "collected", type: "rollup", child: "contract", via: "customer", function: "sum", field: "amount" },
    ],
  };
  const contract = {
    name: "contract",
    fields: [
      { name: "code", type: "text" },
      { name: "customer", type: "reference", target: "customer" },
      { name: "amount", type: "decimal", scale: 2 },
      { name: "note", type: "text" },
      { name: "total", type: "formula", expression: "amount * 2", resultType: "decimal" },
    ],
    indexes: [{ fields: ["code", "amount"], unique: true }],
  };
  expect(
    (
      await engine.http("/api/meta/entities", {
        method: "POST",
        body: { ...customer, fields: customer.fields.slice(0, 1) },
      })
    ).status,
  ).toBe(201);
  expect((await engine.http("/api/meta/entities", { method: "POST", body: contract })).status).toBe(201);
  expect((await engine.http("/api/meta/entities/customer", { method: "PUT", body: customer })).status).toBe(200);
  await createTestRole(engine.ctx, {
    name: "sales",
    permissions: { contract: { read: "all" } },
    fields: { contract: { amount: { read: true, write: false } } },
  });
});
afterAll(() => engine?.close());

const contractWithout = async (...names: string[]) => {
  const { body } = await engine.http("/api/meta/entities/contract");
  return {
    ...body.definition,
    fields: body.definition.fields.filter((f: { name: string }) => !names.includes(f.name)),
  };
};
const ALL_FOUR = [
  "formula:contract.total",
  "rollup:customer.collected",
  "unique:contract(code,amount)",
  "permission:sales:contract.amount",
];

describe("impact over the API", () => {
  it("lists what uses a field, with the keys to name in breaks", async () => {
    const res = await engine.http("/api/meta/entities/contract/impact?field=amount");
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { key: string }) => d.key).sort()).toEqual([...ALL_FOUR].sort());
    const whole = await engine.http("/api/meta/entities/contract/impact");
    expect(whole.body.data.map((d: { key: string }) => d.key)).toEqual(
      expect.arrayContaining(["form:contract.default", "permission:sales:contract"]),
    );
    const customer = await engine.http("/api/meta/entities/customer/impact");
    expect(customer.body.data).toEqual([
      expect.objectContaining({
        key: "reference:contract.customer",
        label: "reference contract.customer points to customer",
      }),
    ]);
  });

  it("answers unknown names and non-admins with problem+json", async () => {
    const field = await engine.http("/api/meta/entities/contract/impact?field=nope");
    expect(field.status).toBe(400);
    expect(field.headers.get("content-type")).toContain("application/problem+json");
    expect(field.body).toMatchObject({ status: 400, errors: [{ path: "field" }] });
    expect((await engine.http("/api/meta/entities/nothing/impact")).status).toBe(404);
    const user = await createTestUser(engine.ctx, { login: "clerk" });
    // An entity the user has no permission on does not exist for them.
    const hidden = await engine.http("/api/meta/entities/contract/impact", { as: user.token });
    expect(hidden.status).toBe(404);
    const forbidden = await engine.http("/api/meta/revisions", { as: user.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain("Only administrators");
  });

  it("refuses a drop with 409 problem+json naming the formula, the rollup, the unique key and the permission", async () => {
    const res = await engine.http("/api/meta/entities/contract?confirm=1", {
      method: "PUT",
      body: await contractWithout("amount"),
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ type: "https://kehu.dev/problems/impact-refused", status: 409 });
    const messages = res.body.errors.map((e: { message: string }) => e.message).join("\n");
    expect(messages).toContain("formula contract.total reads contract.amount, which this change drops");
    expect(messages).toContain("rollup customer.collected (sum of contract) folds contract.amount");
    expect(messages).toContain("unique key (code, amount) of contract uses contract.amount");
    expect(messages).toContain('the field permission of role "sales" on contract.amount');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["/fields/3/expression", "/indexes/0", "/customer/fields/1/field"]),
    );
    expect(res.body.impact.map((e: { key: string }) => e.key).sort()).toEqual([...ALL_FOUR].sort());
  });

  it("shows the impact on a dry run, and applies with breaks in the query", async () => {
    const body = await contractWithout("amount");
    const dry = await engine.http("/api/meta/entities/contract?dryRun=1", { method: "PUT", body });
    expect(dry.status).toBe(200);
    expect(dry.body.impact.filter((e: { resolution: string }) => e.resolution === "blocking")).toHaveLength(4);
    expect(dry.body.others.map((p: { entity: string }) => p.entity)).toEqual(["customer"]);
    const bad = await engine.http("/api/meta/entities/contract?confirm=1&breaks=nonsense", { method: "PUT", body });
    expect(bad.status).toBe(400);
    const res = await engine.http(
      `/api/meta/entities/contract?confirm=1&breaks=${ALL_FOUR.slice(0, 2).join(",")}&breaks=${ALL_FOUR.slice(2).join(",")}`,
      {
        method: "PUT",
        body,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.definition.fields.map((f: { name: string }) => f.name)).toEqual(["code", "customer", "note"]);
    const broken = res.body.impact.filter((e: { resolution: string }) => e.resolution === "broken");
    expect(broken.map((e: { key: string }) => e.key).sort()).toEqual([...ALL_FOUR].sort());
    expect(res.body.impact.every((e: { resolution: string }) => e.resolution === "broken")).toBe(true);
  });

  it("blocks a drop on a registered dependant until it is named", async () => {
    const body = await contractWithout("note");
    const res = await engine.http("/api/meta/entities/contract?confirm=1", { method: "PUT", body });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([
      {
        path: "/form/contract.default",
        message: expect.stringContaining('form "contract.default" shows contract.note, which this change drops'),
      },
    ]);
    const ok = await engine.http("/api/meta/entities/contract?confirm=1&breaks=form:contract.default", {
      method: "PUT",
      body,
    });
    expect(ok.status).toBe(200);
  });

  it("refuses deleting an entity a role has permissions on until the permission is named", async () => {
    await engine.http("/api/meta/entities/customer", {
      method: "PUT",
      body: { name: "customer", fields: [{ name: "name", type: "text" }] },
    });
    const res = await engine.http("/api/meta/entities/contract?confirm=1", { method: "DELETE" });
    expect(res.status).toBe(409);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('the permissions of role "sales" on contract, which goes away with entity contract'),
    ]);
    const ok = await engine.http("/api/meta/entities/contract?confirm=1&breaks=permission:sales:contract", {
      method: "DELETE",
    });
    expect(ok.status).toBe(200);
  });
});
