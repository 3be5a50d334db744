import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities } from "../../testing/define-entities";
import { sampleContact, sampleCustomer } from "../../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../../testing/test-engine";

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [
    sampleCustomer,
    sampleContact,
    { name: "visit", fields: [{ name: "customer", type: "reference", target: "customer", onDelete: "cascade" }] },
    { name: "lead", fields: [{ name: "customer", type: "reference", target: "customer", onDelete: "setNull" }] },
  ]);
});
afterAll(() => engine.close());

const full = {
  name: "上海建材有限公司",
  code: "C-001",
  tier: "gold",
  credit: { amount: "120000.50", currency: "CNY" },
  employees: 42,
  rating: "4.5",
  active: true,
  founded: "2001-09-30",
  last_contact: "2026-11-20T08:30:00.000Z",
  tags: ["vip", "new"],
  email: "info@example.cn",
  phone: "+86 21 5555 0101",
  website: "https://example.cn/about",
  notes: "  line one\nline two\t with tabs  ",
  extra: { source: "fair", scores: [1, 2, 3], nested: { ok: null } },
};

async function countCustomers() {
  const { rows } = await engine.ctx.db.knex.raw("SELECT count(*)::int AS n FROM data.customer");
  return rows[0].n as number;
}

describe("record API", () => {
  it("creates a record with every field type and returns it exactly as sent", async () => {
    const res = await engine.http("/api/data/customer", { method: "POST", body: full });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/data/customer/${res.body.id}`);
    expect(res.body).toMatchObject({ ...full, version: 1, deleted_at: null, created_by: "system" });
    const got = await engine.http(`/api/data/customer/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.get("etag")).toBe('"1"');
  });

  it("fills defaults and keeps decimal digits as given", async () => {
    const res = await engine.http("/api/data/customer", { method: "POST", body: { name: "默认", rating: "3.10" } });
    expect(res.status).toBe(201);
    expect(res.body.tier).toBe("general");
    expect(res.body.rating).toBe("3.10");
    expect(res.body.credit).toBeNull();
  });

  it("names every invalid field in one problem+json and writes nothing", async () => {
    const before = await countCustomers();
    const res = await engine.http("/api/data/customer", {
      method: "POST",
      body: {
        tier: "platinum",
        employees: 1.5,
        rating: "1.234",
        website: "ftp://x.cn",
        id: "x",
        bogus: 1,
        credit: { amount: "1" },
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/name",
        "/tier",
        "/employees",
        "/rating",
        "/website",
        "/id",
        "/bogus",
        "/credit/currency",
      ]),
    );
    expect(res.body.errors.find((e: { path: string }) => e.path === "/id").message).toMatch(/read-only/);
    expect(await countCustomers()).toBe(before);
  });

  it("refuses text PostgreSQL cannot store and counts max length in characters", async () => {
    const nul = await engine.http("/api/data/customer", { method: "POST", body: { name: "a\u0000b" } });
    expect(nul.status).toBe(400);
    expect(nul.body.errors[0]).toEqual({ path: "/name", message: expect.stringMatching(/NUL/) });
    const lone = await engine.http("/api/data/customer", { method: "POST", body: '{"name": "\\ud800x"}' });
    expect(lone.status).toBe(400);
    const hundredCjk = "客".repeat(100);
    expect((await engine.http("/api/data/customer", { method: "POST", body: { name: hundredCjk } })).status).toBe(201);
    expect(
      (await engine.http("/api/data/customer", { method: "POST", body: { name: `${hundredCjk}户` } })).status,
    ).toBe(400);
  });

  it("answers malformed JSON, wrong content type and unknown entities with problem+json", async () => {
    const bad = await engine.http("/api/data/customer", { method: "POST", body: "{name: 1" });
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe("Malformed JSON");
    const text = await engine.http("/api/data/customer", {
      method: "POST",
      body: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const unknown = await engine.http("/api/data/nothing");
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/nothing/);
    expect((await engine.http("/api/data/customer/not-a-uuid")).status).toBe(404);
    const huge = await engine.http("/api/data/customer", {
      method: "POST",
      body: { name: "x".repeat(33 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.title).toBe("Payload too large");
  });

  it("refuses a body of undeclared length (chunked) once it grows past the limit", async () => {
    const piece = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name": "'));
        if (sent++ < 40) controller.enqueue(piece);
        else controller.close();
      },
    });
    const res = await fetch(`${engine.server.url}/api/data/customer`, {
      method: "POST",
      headers: { authorization: `Bearer ${engine.admin.token}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    // The rest of the body is not read: the client is told not to send its next request on this connection.
    expect(res.headers.get("connection")).toBe("close");
    expect(((await res.json()) as { title: string }).title).toBe("Payload too large");
  });

  it("patches with If-Match and answers 409 on a stale version", async () => {
    const { body: created } = await engine.http("/api/data/customer", {
      method: "POST",
      body: { name: "Lock Co", employees: 5 },
    });
    const ok = await engine.http(`/api/data/customer/${created.id}`, {
      method: "PATCH",
      body: { employees: 6, notes: null },
      headers: { "if-match": '"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ employees: 6, version: 2, name: "Lock Co" });
    const stale = await engine.http(`/api/data/customer/${created.id}`, {
      method: "PATCH",
      body: { employees: 7 },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(2);
    const cleared = await engine.http(`/api/data/customer/${created.id}`, { method: "PATCH", body: { name: null } });
    expect(cleared.status).toBe(400);
    expect(cleared.body.errors[0].path).toBe("/name");
  });

  it("soft-deletes, hides, restores, and frees a unique value while deleted", async () => {
    const { body: created } = await engine.http("/api/data/customer", {
      method: "POST",
      body: { name: "Gone", code: "DEL-1" },
    });
    const dup = await engine.http("/api/data/customer", { method: "POST", body: { name: "Dup", code: "DEL-1" } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe("/code");
    const del = await engine.http(`/api/data/customer/${created.id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(del.body.deleted_at).not.toBeNull();
    expect((await engine.http(`/api/data/customer/${created.id}`)).status).toBe(404);
    expect((await engine.http(`/api/data/customer/${created.id}`, { method: "DELETE" })).status).toBe(404);
    const restored = await engine.http(`/api/data/customer/${created.id}/restore`, { method: "POST" });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deleted_at: null, version: 3 });
    expect((await engine.http(`/api/data/customer/${created.id}/restore`, { method: "POST" })).status).toBe(409);
  });

  it("checks references and expands them one level", async () => {
    const { body: customer } = await engine.http("/api/data/customer", { method: "POST", body: { name: "Ref Co" } });
    const missing = await engine.http("/api/data/contact", {
      method: "POST",
      body: { name: "王芳", customer: "00000000-0000-4000-8000-000000000000" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ path: "/customer" });
    const { body: contact } = await engine.http("/api/data/contact", {
      method: "POST",
      body: { name: "王芳", customer: customer.id },
    });
    const expanded = await engine.http(`/api/data/contact/${contact.id}?expand=customer&fields=name,customer`);
    expect(expanded.body).toEqual({
      id: contact.id,
      version: 1,
      name: "王芳",
      customer: expect.objectContaining({ id: customer.id, name: "Ref Co" }),
    });
    expect((await engine.http(`/api/data/contact/${contact.id}?expand=name`)).status).toBe(400);
    expect((await engine.http(`/api/data/contact/${contact.id}?fields=nope`)).status).toBe(400);
  });

  it("bulk-creates and upserts by a unique field, all or nothing", async () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ name: `批量 ${i}`, code: `B-${i}`, employees: i }));
    const first = await engine.http("/api/data/customer/bulk", { method: "POST", body: { records, upsertBy: "code" } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 300, updated: 0 });
    const again = records.map((r) => ({ ...r, employees: r.employees + 1000 }));
    again.push({ name: "新的", code: "B-NEW", employees: 1 });
    const second = await engine.http("/api/data/customer/bulk", {
      method: "POST",
      body: { records: again, upsertBy: "code" },
    });
    expect(second.body).toMatchObject({ created: 1, updated: 300 });
    expect(second.body.ids[5]).toBe(first.body.ids[5]);
    const one = await engine.http(`/api/data/customer/${first.body.ids[5]}`);
    expect(one.body).toMatchObject({ employees: 1005, version: 2 });

    const before = await countCustomers();
    const bad = await engine.http("/api/data/customer/bulk", {
      method: "POST",
      body: { records: [{ name: "ok", code: "X-1" }, { code: "X-2" }, { name: "dup", code: "X-1" }], upsertBy: "code" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["/records/1/name", "/records/2/code"]);
    expect(await countCustomers()).toBe(before);

    const partial = await engine.http("/api/data/customer/bulk", {
      method: "POST",
      body: { records: [{ name: "ok", code: "Y-1" }, { code: "Y-2" }], upsertBy: "code", atomic: false },
    });
    expect(partial.status).toBe(207);
    expect(partial.body).toMatchObject({ created: 1, ids: [expect.any(String), null] });
    expect(
      (await engine.http("/api/data/customer/bulk", { method: "POST", body: { records: [], upsertBy: "name" } }))
        .status,
    ).toBe(400);
  });

  it("applies each reference's onDelete when a record is deleted", async () => {
    const make = async (entity: string, body: object) =>
      (await engine.http(`/api/data/${entity}`, { method: "POST", body })).body;
    const customer = await make("customer", { name: "Parent" });
    const contact = await make("contact", { name: "张伟", customer: customer.id });
    const visit = await make("visit", { customer: customer.id });
    const lead = await make("lead", { customer: customer.id });
    const refused = await engine.http(`/api/data/customer/${customer.id}`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.body.referrers).toEqual([{ entity: "contact", field: "customer", count: 1 }]);
    expect((await engine.http(`/api/data/visit/${visit.id}`)).status).toBe(200);
    await engine.http(`/api/data/contact/${contact.id}`, { method: "DELETE" });
    expect((await engine.http(`/api/data/customer/${customer.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await engine.http(`/api/data/visit/${visit.id}`)).status).toBe(404);
    expect((await engine.http(`/api/data/lead/${lead.id}`)).body).toMatchObject({ customer: null, version: 2 });
  });

  it("lists over HTTP with filter, sort, cursor pages, fields, expand and CJK search", async () => {
    const rows = ["张伟", "张伟明", "李张", "Zhang Wei", "王芳"].map((name, i) => ({
      name,
      code: `L-${i}`,
      employees: i * 10,
      tier: i % 2 ? "gold" : "potential",
    }));
    const { body: bulk } = await engine.http("/api/data/customer/bulk", { method: "POST", body: { records: rows } });
    await engine.http("/api/data/contact", { method: "POST", body: { name: "联系人", customer: bulk.ids[0] } });
    const q = (params: Record<string, string>) => `/api/data/customer?${new URLSearchParams(params)}`;

    const filtered = await engine.http(
      q({
        filter: JSON.stringify({ and: [{ code: { startsWith: "L-" } }, { employees: { gte: 10 } }] }),
        sort: "-employees",
        fields: "name,employees",
      }),
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((r: { name: string }) => r.name)).toEqual(["王芳", "Zhang Wei", "李张", "张伟明"]);
    expect(Object.keys(filtered.body.data[0]).sort()).toEqual(["employees", "id", "name", "version"]);

    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await engine.http(
        q({
          filter: JSON.stringify({ code: { startsWith: "L-" } }),
          sort: "name",
          limit: "2",
          ...(cursor && { cursor }),
        }),
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((r: { code: string }) => r.code));
      cursor = page.body.nextCursor;
    }
    expect(seen.sort()).toEqual(["L-0", "L-1", "L-2", "L-3", "L-4"]);

    const zhang = await engine.http(q({ search: "张" }));
    expect(zhang.body.data.map((r: { name: string }) => r.name).sort()).toEqual(["张伟", "张伟明", "李张"].sort());
    expect((await engine.http(q({ search: "张伟" }))).body.data).toHaveLength(2);

    const contacts = await engine.http(
      `/api/data/contact?expand=customer&filter=${encodeURIComponent('{"name":{"eq":"联系人"}}')}`,
    );
    expect(contacts.body.data[0].customer).toMatchObject({ id: bulk.ids[0], name: "张伟" });

    const badFilter = await engine.http(q({ filter: JSON.stringify({ employees: { gtx: 1 } }) }));
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors[0].path).toBe("/filter/employees/gtx");
    expect((await engine.http(q({ filter: "{oops" }))).status).toBe(400);
    expect((await engine.http(q({ sort: "nope" }))).status).toBe(400);
    expect((await engine.http(q({ limit: "5000" }))).status).toBe(400);
    expect((await engine.http(q({ cursor: "garbage" }))).status).toBe(400);
    expect((await engine.http(q({ bogus: "1" }))).status).toBe(400);
  });
});
