import {
  createTestDepartment,
  createTestRole,
  createTestUser,
  defineEntities,
  startTestEngine,
  type TestEngine,
} from "@kehu/engine/testing";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, dealEntity, departmentWide as full } from "../security/two-departments-fixture";

// Department A (alice writes, nina cannot see `secret`, rita cannot write `amount`) and department B (bob).
let engine: TestEngine;
const users: Record<string, { id: string; token: string }> = {};

const deal = dealEntity("department");

const as = (user: string, path: string, init: { method?: string; body?: string } = {}) =>
  engine.http(path, {
    ...init,
    as: users[user].token,
    ...(init.body !== undefined && { headers: { "content-type": "text/csv" } }),
  });
const importAs = (user: string, entity: string, csv: string, query = "") =>
  as(user, `/api/data/${entity}/import${query}`, { method: "POST", body: csv });
const stored = (code: string) => engine.ctx.db.knex("data.account").where({ code }).first();

beforeAll(async () => {
  engine = await startTestEngine();
  const ctx = engine.ctx;
  await defineEntities(ctx, [account, deal]);
  const A = await createTestDepartment(ctx, { name: "A" });
  const B = await createTestDepartment(ctx, { name: "B" });
  const writer = await createTestRole(ctx, { name: "writer", permissions: { account: full, deal: full } });
  const noSecret = await createTestRole(ctx, {
    name: "no_secret",
    permissions: { account: full },
    fields: { account: { secret: { read: false, write: false } } },
  });
  const fixedAmount = await createTestRole(ctx, {
    name: "fixed_amount",
    permissions: { account: full },
    fields: { account: { amount: { read: true, write: false } } },
  });
  users.alice = await createTestUser(ctx, { login: "alice", departmentId: A.id, roleIds: [writer.id] });
  users.bob = await createTestUser(ctx, { login: "bob", departmentId: B.id, roleIds: [writer.id] });
  users.nina = await createTestUser(ctx, { login: "nina", departmentId: A.id, roleIds: [noSecret.id] });
  users.rita = await createTestUser(ctx, { login: "rita", departmentId: A.id, roleIds: [fixedAmount.id] });
  expect((await importAs("alice", "account", "name,code,secret,amount\na one,a-1,alpha whisper,1")).status).toBe(200);
  expect((await importAs("bob", "account", "name,code,secret,amount\nb one,b-1,bravo whisper,2")).status).toBe(200);
  expect((await importAs("bob", "deal", "title,account\nbob deal,b one")).status).toBe(200);
  expect((await importAs("alice", "deal", "title,account\nalice deal,a one")).status).toBe(200);
});
afterAll(() => engine?.close());

describe("export as the caller", () => {
  it("a user of department A never exports department B's rows, in any format", async () => {
    const csv = await as("alice", "/api/data/account/export?header=name");
    expect(csv.body).toBe("name,code,secret,amount\r\na one,a-1,alpha whisper,1\r\n");
    const xlsx = await fetch(`${engine.server.url}/api/data/account/export?format=xlsx`, {
      headers: { authorization: `Bearer ${users.alice.token}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const cells = workbook.worksheets[0].getSheetValues().flatMap((row) => (Array.isArray(row) ? row.slice(1) : []));
    expect(cells).toEqual(["name", "code", "secret", "amount", "a one", "a-1", "alpha whisper", 1]);
    const filtered = await as(
      "alice",
      `/api/data/account/export?filter=${encodeURIComponent('{"code":{"eq":"b-1"}}')}`,
    );
    expect(filtered.body).toBe("name,code,secret,amount\r\n");
    const searched = await as("alice", "/api/data/account/export?search=bravo");
    expect(searched.status).toBe(200);
    expect(searched.body).toBe("name,code,secret,amount\r\n");
  });

  it("hidden fields are never exported, and asking for one is refused as an unknown field", async () => {
    const res = await as("nina", "/api/data/account/export?header=name");
    expect(res.body).toBe("name,code,amount\r\na one,a-1,1\r\n");
    for (const probe of [
      "fields=name,secret",
      `filter=${encodeURIComponent('{"secret":{"eq":"x"}}')}`,
      "sort=secret",
    ]) {
      const refused = await as("nina", `/api/data/account/export?${probe}`);
      expect(refused.status, probe).toBe(400);
      expect(JSON.stringify(refused.body)).not.toContain("whisper");
    }
    expect((await as("nina", "/api/data/account/export?search=whisper")).body).toBe("name,code,amount\r\n");
  });

  it("a reference to a record the caller may not read exports blank, never its title", async () => {
    await engine.ctx.db
      .knex("data.deal")
      .where({ title: "bob deal" })
      .update({
        department_id: (await engine.ctx.db.knex("data.deal").where({ title: "alice deal" }).first()).department_id,
      });
    const res = await as("alice", "/api/data/deal/export?header=name&sort=title");
    expect(res.body).toBe("title,account\r\nalice deal,a one\r\nbob deal,\r\n");
  });
});

describe("import as the caller", () => {
  it("cannot update department B's record through an upsert: a row error, the record untouched, good rows land", async () => {
    const before = await stored("b-1");
    const csv = "code,name,amount\na-1,a renamed,10\nb-1,hijacked,99\na-2,a two,3";
    const res = await importAs("alice", "account", csv, "?mode=skip-invalid&upsertBy=code");
    expect(res.body).toMatchObject({ created: 1, updated: 1, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 3, column: null, field: null, message: "you may not update this record" }]);
    expect(await stored("b-1")).toEqual(before);
    const atomic = await importAs("alice", "account", "code,name\na-1,again\nb-1,hijacked", "?upsertBy=code");
    expect(atomic.status).toBe(422);
    expect((await stored("a-1")).name).toBe("a renamed");
    expect(await stored("b-1")).toEqual(before);
  });

  it("references resolve only to records the caller may read", async () => {
    const res = await importAs("alice", "deal", "title,account\nsneaky,b one", "?mode=skip-invalid");
    expect(res.body).toMatchObject({ created: 0, skipped: 1 });
    expect(res.body.errors[0].message).toBe('no account record with name or code "b one"');
  });

  it("a column of a hidden field is unknown (its existence not confirmed); of a read-only field, refused", async () => {
    const hidden = await importAs("nina", "account", "name,code,secret\nn,n-1,x");
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors).toEqual([{ path: "/columns/secret", message: expect.stringContaining("no field") }]);
    expect(JSON.stringify(hidden.body)).not.toMatch(/may not/);
    const mapped = await importAs(
      "nina",
      "account",
      "name,code,x\nn,n-1,x",
      `?mapping=${encodeURIComponent('{"x":"secret"}')}`,
    );
    expect(mapped.status).toBe(400);
    const readOnly = await importAs("rita", "account", "name,code,amount\nr,r-1,5");
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.errors).toEqual([
      { path: "/columns/amount", message: 'fills "amount", which you may not write' },
    ]);
    expect(await stored("r-1")).toBeUndefined();
    expect(await stored("n-1")).toBeUndefined();
  });

  it("every imported row is audited with channel import and its old and new values", async () => {
    const res = await importAs("alice", "account", "code,name,amount\na-1,audited,7\na-3,three,1", "?upsertBy=code");
    expect(res.body).toMatchObject({ created: 1, updated: 1 });
    const trail = async (code: string) =>
      (await as("alice", `/api/audit?entity=account&record=${(await stored(code)).id}`)).body.data;
    const [update] = await trail("a-1");
    expect(update).toMatchObject({ action: "update", channel: "import", actorLogin: "alice" });
    expect(update.changes).toEqual({ name: { old: "a renamed", new: "audited" }, amount: { old: 10, new: 7 } });
    const [create] = await trail("a-3");
    expect(create).toMatchObject({ action: "create", channel: "import", actorLogin: "alice" });
    expect(create.changes).toMatchObject({ name: { old: null, new: "three" }, code: { old: null, new: "a-3" } });
  });
});
