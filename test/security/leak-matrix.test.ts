import {
  createTestDepartment,
  createTestRole,
  createTestUser,
  defineEntities,
  startTestEngine,
  type TestEngine,
} from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, dealEntity, departmentWide } from "./two-departments-fixture";

// Two departments (A with a sub-department A1, and B), six roles, one user per role in A and a writer in B.
let engine: TestEngine;
const users: Record<string, { id: string; token: string }> = {};
const records: Record<string, { id: string; code: string }> = {};

const deal = dealEntity("user");

const as = (user: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  engine.http(path, { ...init, as: users[user].token });
const ids = (body: { data: Array<{ id: string }> }) => body.data.map((r) => r.id);
const q = (filter: unknown) => encodeURIComponent(JSON.stringify(filter));

beforeAll(async () => {
  engine = await startTestEngine();
  const ctx = engine.ctx;
  await defineEntities(ctx, [account, deal]);
  const A = await createTestDepartment(ctx, { name: "A" });
  const A1 = await createTestDepartment(ctx, { name: "A1", parentId: A.id });
  const B = await createTestDepartment(ctx, { name: "B" });
  const roles = {
    writer: await createTestRole(ctx, {
      name: "writer",
      permissions: { account: departmentWide, deal: departmentWide },
    }),
    owner: await createTestRole(ctx, {
      name: "owner",
      permissions: { account: { create: "all", read: "department", update: "own", delete: "own" } },
    }),
    tree: await createTestRole(ctx, {
      name: "tree",
      permissions: { account: { read: "department_tree" }, deal: { read: "department_tree" } },
    }),
    noSecret: await createTestRole(ctx, {
      name: "no_secret",
      permissions: { account: { read: "department", update: "department", create: "all" }, deal: { read: "all" } },
      fields: { account: { secret: { read: false, write: false } } },
    }),
    fixedAmount: await createTestRole(ctx, {
      name: "fixed_amount",
      permissions: { account: { read: "department", update: "department" } },
      fields: { account: { amount: { read: true, write: false } } },
    }),
    ownOnly: await createTestRole(ctx, { name: "own_only", permissions: { account: { read: "own", create: "all" } } }),
  };
  const make = async (login: string, departmentId: string | null, roleIds: string[]) => {
    users[login] = await createTestUser(ctx, { login, departmentId, roleIds });
  };
  await make("alice", A.id, [roles.writer.id]);
  await make("anna", A1.id, [roles.writer.id]);
  await make("bob", B.id, [roles.writer.id]);
  await make("olga", A.id, [roles.owner.id]);
  await make("tom", A.id, [roles.tree.id]);
  await make("nina", A.id, [roles.noSecret.id]);
  await make("rita", A.id, [roles.fixedAmount.id]);
  await make("oscar", A.id, [roles.ownOnly.id]);
  await make("nobody", A.id, []);
  const create = async (user: string, key: string, secret: string) => {
    const res = await as(user, "/api/data/account", {
      method: "POST",
      body: { name: `${key} name`, code: key, secret, amount: 100 },
    });
    expect(res.status).toBe(201);
    records[key] = { id: res.body.id, code: key };
  };
  await create("alice", "a-1", "alpha whisper");
  await create("alice", "a-2", "alpha murmur");
  await create("anna", "a1-1", "subdept whisper");
  await create("bob", "b-1", "bravo whisper zebra");
  await create("bob", "b-2", "bravo murmur");
  await create("oscar", "o-1", "oscar own");
  const dealRes = await as("alice", "/api/data/deal", {
    method: "POST",
    body: { title: "cross", account: records["b-1"].id },
  });
  expect(dealRes.status).toBe(201);
  records.deal = { id: dealRes.body.id, code: "" };
  const own = await as("alice", "/api/data/deal", {
    method: "POST",
    body: { title: "own", account: records["a-1"].id },
  });
  records.ownDeal = { id: own.body.id, code: "" };
});
afterAll(() => engine?.close());

const SCOPED_READERS = ["alice", "olga", "tom", "nina", "rita", "oscar"];
const B_RECORDS = ["b-1", "b-2"];

describe("a user of department A cannot reach department B's records", () => {
  it.each(SCOPED_READERS)("%s: get, list, filter, sort, search and cursor never show a B record", async (user) => {
    for (const key of B_RECORDS) {
      const get = await as(user, `/api/data/account/${records[key].id}`);
      expect(get.status).toBe(404);
      expect(JSON.stringify(get.body)).not.toContain("bravo");
    }
    const bIds = B_RECORDS.map((k) => records[k].id);
    const probes = [
      "",
      `?filter=${q({ code: { eq: "b-1" } })}`,
      `?filter=${q({ id: { in: bIds } })}`,
      `?filter=${q({ or: [{ code: { startsWith: "b" } }, { amount: { gte: 0 } }] })}`,
      `?filter=${q({ not: { code: { eq: "zzz" } } })}`,
      "?sort=-code",
      "?sort=amount,-created_at",
      "?search=b-1",
      "?search=b-1%20name&searchMode=fuzzy",
      "?limit=1",
    ];
    for (const probe of probes) {
      let path = `/api/data/account${probe}`;
      for (let page = 0; page < 10 && path; page++) {
        const res = await as(user, path);
        expect(res.status, `${user} ${path}`).toBe(200);
        for (const id of ids(res.body)) expect(bIds).not.toContain(id);
        expect(JSON.stringify(res.body)).not.toContain("bravo");
        const sep = probe ? "&" : "?";
        path = res.body.nextCursor
          ? `/api/data/account${probe}${sep}cursor=${encodeURIComponent(res.body.nextCursor)}`
          : "";
      }
    }
  });

  it.each(SCOPED_READERS)(
    "%s: cannot change, delete, restore, upsert or read the audit of a B record",
    async (user) => {
      const b = records["b-1"];
      const patch = await as(user, `/api/data/account/${b.id}`, { method: "PATCH", body: { name: "hacked" } });
      expect([403, 404]).toContain(patch.status);
      // A 403 may only say the action is not granted on the entity, never confirm that this record exists.
      if (patch.status === 403) expect(patch.body.detail).toBe("You may not update account records");
      expect((await as(user, `/api/data/account/${b.id}`, { method: "DELETE" })).status).not.toBe(200);
      expect((await as(user, `/api/data/account/${b.id}/restore`, { method: "POST" })).status).not.toBe(200);
      const bulk = await as(user, "/api/data/account/bulk", {
        method: "POST",
        body: { records: [{ code: b.code, name: "hacked" }], upsertBy: "code" },
      });
      expect(bulk.status).toBe(403);
      const audit = await as(user, `/api/audit?entity=account&record=${b.id}`);
      expect(audit.status).toBe(404);
      const check = await engine.http(`/api/data/account/${b.id}`);
      expect(check.body.name).toBe("b-1 name");
    },
  );

  it("skips an out-of-scope record of a non-atomic upsert and writes the others", async () => {
    const res = await as("alice", "/api/data/account/bulk", {
      method: "POST",
      body: {
        records: [
          { code: "b-2", name: "taken over" },
          { code: "a-new", name: "new" },
        ],
        upsertBy: "code",
        atomic: false,
      },
    });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ created: 1, updated: 0, errors: [{ path: "/records/0" }] });
    expect(res.body.ids[0]).toBeNull();
    expect((await engine.http(`/api/data/account/${records["b-2"].id}`)).body.name).toBe("b-2 name");
    expect((await engine.http(`/api/data/account/${res.body.ids[1]}`)).body.owner_id).toBe(users.alice.id);
  });

  it("answers 404 for a record outside the read scope and 403 for an action not granted", async () => {
    // olga reads department A but updates only her own records: alice's record is readable, not changeable.
    const aliceRecord = records["a-1"].id;
    expect((await as("olga", `/api/data/account/${aliceRecord}`)).status).toBe(200);
    const refused = await as("olga", `/api/data/account/${aliceRecord}`, { method: "PATCH", body: { name: "x" } });
    expect(refused.status).toBe(403);
    expect((await as("oscar", `/api/data/account/${aliceRecord}`)).status).toBe(404);
    expect((await as("nobody", "/api/data/account")).status).toBe(403);
    expect((await as("tom", "/api/data/account", { method: "POST", body: { name: "t" } })).status).toBe(403);
    expect((await as("nobody", `/api/data/account/${aliceRecord}`)).status).toBe(403);
  });

  it("scopes by own, department and department tree", async () => {
    const known = ["a-1", "a-2", "a1-1", "b-1", "b-2", "o-1"];
    const seen = async (user: string) =>
      new Set(ids((await as(user, `/api/data/account?limit=100&filter=${q({ code: { in: known } })}`)).body));
    const key = (k: string) => records[k].id;
    expect(await seen("oscar")).toEqual(new Set([key("o-1")]));
    expect(await seen("alice")).toEqual(new Set([key("a-1"), key("a-2"), key("o-1")]));
    expect(await seen("tom")).toEqual(new Set([key("a-1"), key("a-2"), key("o-1"), key("a1-1")]));
    expect(await seen("bob")).toEqual(new Set([key("b-1"), key("b-2")]));
  });

  it("expands a reference to an out-of-scope record as null", async () => {
    const res = await as("tom", "/api/data/deal?expand=account&limit=100");
    expect(res.status).toBe(200);
    const cross = res.body.data.find((d: { id: string }) => d.id === records.deal.id);
    expect(cross.account).toBeNull();
    const own = res.body.data.find((d: { id: string }) => d.id === records.ownDeal.id);
    expect(own.account.code).toBe("a-1");
    const single = await as("tom", `/api/data/deal/${records.deal.id}?expand=account`);
    expect(single.body.account).toBeNull();
  });

  it("keeps the metadata API for admins and shows each caller only what it may use", async () => {
    const write = await as("alice", "/api/meta/entities/account", { method: "PUT", body: account });
    expect(write.status).toBe(403);
    const list = await as("oscar", "/api/meta/entities");
    expect(list.body.data.map((e: { name: string }) => e.name)).toEqual(["account"]);
    expect((await as("oscar", "/api/meta/entities/deal")).status).toBe(404);
    const doc = await as("nina", "/api/openapi.json");
    expect(doc.body.paths["/api/data/account"]).toBeDefined();
    expect(JSON.stringify(doc.body.components.schemas)).not.toContain("secret");
    const oscarDoc = await as("oscar", "/api/openapi.json");
    expect(oscarDoc.body.paths["/api/data/deal"]).toBeUndefined();
    expect((await as("alice", `/api/admin/explain?user=bob&entity=account&id=${records["b-1"].id}`)).status).toBe(403);
    expect((await as("alice", "/api/admin/doctor")).status).toBe(403);
  });
});

describe("hidden and read-only fields", () => {
  it("leaves a hidden field out of every response", async () => {
    const one = await as("nina", `/api/data/account/${records["a-1"].id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("secret");
    expect(one.body.name).toBe("a-1 name");
    const list = await as("nina", "/api/data/account");
    expect(JSON.stringify(list.body)).not.toContain("whisper");
    const deals = await as("nina", "/api/data/deal?expand=account&limit=100");
    const own = deals.body.data.find((d: { id: string }) => d.id === records.ownDeal.id);
    expect(own.account.code).toBe("a-1");
    expect(own.account).not.toHaveProperty("secret");
    const trail = await as("nina", `/api/audit?entity=account&record=${records["a-1"].id}`);
    expect(trail.status).toBe(200);
    expect(JSON.stringify(trail.body)).not.toContain("whisper");
  });

  it("refuses to filter, sort, select, search or set a hidden field as if it did not exist", async () => {
    const unknown = async (path: string) => {
      const res = await as("nina", path);
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain("whisper");
    };
    await unknown(`/api/data/account?filter=${q({ secret: { eq: "alpha whisper" } })}`);
    await unknown(
      `/api/data/account?filter=${q({ and: [{ name: { eq: "x" } }, { not: { secret: { isNull: true } } }] })}`,
    );
    await unknown("/api/data/account?sort=-secret");
    await unknown("/api/data/account?fields=name,secret");
    await unknown(`/api/data/account/${records["a-1"].id}?fields=secret`);
    const filterRes = await as("nina", `/api/data/account?filter=${q({ secret: { eq: "x" } })}`);
    const unknownRes = await as("nina", `/api/data/account?filter=${q({ nothing_here: { eq: "x" } })}`);
    expect(filterRes.body.detail.replace("secret", "?")).toBe(unknownRes.body.detail.replace("nothing_here", "?"));
    const search = await as("nina", "/api/data/account?search=whisper");
    expect(search.status).toBe(200);
    expect(search.body.data).toEqual([]);
    const byName = await as("nina", "/api/data/account?search=a-1%20name");
    expect(ids(byName.body)).toEqual([records["a-1"].id]);
    expect(ids((await as("alice", "/api/data/account?search=whisper")).body)).toEqual([records["a-1"].id]);
    const set = await as("nina", `/api/data/account/${records["a-2"].id}`, {
      method: "PATCH",
      body: { secret: "overwritten" },
    });
    expect(set.status).toBe(400);
    const create = await as("nina", "/api/data/account", { method: "POST", body: { name: "n", secret: "s" } });
    expect(create.status).toBe(400);
  });

  it("refuses a write to a read-only field with 403 naming it, and allows the other fields", async () => {
    const id = records["a-2"].id;
    const refused = await as("rita", `/api/data/account/${id}`, { method: "PATCH", body: { amount: 5 } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ path: "/amount", message: "you may not write this field" }]);
    const ok = await as("rita", `/api/data/account/${id}`, { method: "PATCH", body: { name: "a-2 renamed" } });
    expect(ok.status).toBe(200);
    expect(ok.body.amount).toBe(100);
  });
});

describe("import and export", () => {
  const csvAs = (user: string, path: string, csv: string) =>
    engine.http(path, { method: "POST", body: csv, headers: { "content-type": "text/csv" }, as: users[user].token });

  it.each(SCOPED_READERS)("%s: an export never holds a B record, nor a hidden field", async (user) => {
    for (const probe of ["", `&filter=${q({ code: { startsWith: "b" } })}`, "&search=bravo", "&sort=-code"]) {
      const res = await as(user, `/api/data/account/export?format=csv&header=name${probe}`);
      expect(res.status, `${user} ${probe}`).toBe(200);
      expect(res.body).not.toMatch(/bravo|b-1|b-2/);
      if (user === "nina") expect(res.body).not.toMatch(/whisper|murmur|secret/);
    }
    if (user === "nina") expect((await as(user, "/api/data/account/export?fields=name,secret")).status).toBe(400);
  });

  it("an upsert import cannot change B's record; hidden and read-only columns are refused", async () => {
    const before = await as("bob", `/api/data/account/${records["b-1"].id}`);
    const res = await csvAs(
      "alice",
      "/api/data/account/import?mode=skip-invalid&upsertBy=code",
      "code,name\nb-1,taken",
    );
    expect(res.body).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect((await as("bob", `/api/data/account/${records["b-1"].id}`)).body).toEqual(before.body);
    expect((await csvAs("nina", "/api/data/account/import", "name,secret\nx,y")).status).toBe(400);
    expect((await csvAs("rita", "/api/data/account/import", "name,amount\nx,1")).status).toBe(403);
  });
});

describe("reports run as the caller", () => {
  const report = (user: string, body: Record<string, unknown>) =>
    as(user, "/api/reports/query", { method: "POST", body: { entity: "account", ...body } });

  it.each(SCOPED_READERS)("%s: totals count exactly the records the list shows, never a B record", async (user) => {
    const list = await as(user, "/api/data/account?limit=1000");
    const totals = await report(user, { measures: [{ fn: "count" }, { fn: "sum", field: "amount" }] });
    expect(totals.status).toBe(200);
    expect(totals.body.rows[0].count).toBe(list.body.data.length);
    const codes = B_RECORDS.map((k) => records[k].code);
    const bOnly = await report(user, { measures: [{ fn: "count" }], filter: { code: { in: codes } } });
    expect(bOnly.body.rows).toEqual([{ count: 0 }]);
    const byDepartment = await report(user, { groupBy: ["department_id"], measures: [{ fn: "count" }] });
    expect(byDepartment.body.rows.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(
      list.body.data.length,
    );
  });

  it("refuses to group, measure, filter or search by a hidden field, as if it did not exist", async () => {
    for (const body of [
      { groupBy: ["secret"], measures: [{ fn: "count" }] },
      { measures: [{ fn: "count", field: "secret" }] },
      { measures: [{ fn: "count" }], filter: { secret: { contains: "whisper" } } },
    ]) {
      const res = await report("nina", body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toContain("whisper");
    }
    expect((await report("nina", { measures: [{ fn: "count" }], search: "whisper" })).body.rows).toEqual([
      { count: 0 },
    ]);
    expect((await report("alice", { measures: [{ fn: "count" }], search: "whisper" })).body.rows).toEqual([
      { count: 1 },
    ]);
    expect((await report("nobody", { measures: [{ fn: "count" }] })).status).toBe(403);
  });
});
