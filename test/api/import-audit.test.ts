import { createTestRole, createTestUser, defineEntities, startTestEngine, type TestEngine } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A batch import is audited per landed row, set-wise, with the same content as a record-by-record write.
let engine: TestEngine;
let clerk: { id: string; login: string; token: string };

const item = {
  name: "item",
  fields: [
    { name: "code", type: "text" as const, unique: true },
    { name: "name", type: "text" as const, required: true },
    { name: "price", type: "decimal" as const, scale: 2 },
    { name: "stage", type: "enum" as const, values: ["new", "won"] },
  ],
};

// Several chunks (1,000, 2,000, 4,000, then the rest); on a busy machine PGlite took over 30 s a test for it, hence the timeouts.
const N = 12_000;
const BAD = new Set([7, 10_500, 11_999]); // rows with a price that is not a number

const csv = (prefix: string) =>
  [
    "code,name,price,stage",
    ...Array.from(
      { length: N },
      (_, i) => `${prefix}${i},"货品 ${i}, ""A""",${BAD.has(i) ? "x1" : `${i}.50`},${i % 3 ? "new" : ""}`,
    ),
  ].join("\n");
const importCsv = (body: string, query = "") =>
  engine.http(`/api/data/item/import${query}`, {
    method: "POST",
    body,
    headers: { "content-type": "text/csv" },
    as: clerk.token,
  });
const auditRows = () => engine.ctx.db.knex("kehu.audit_log").where({ entity: "item" }).orderBy("id");

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [item]);
  const role = await createTestRole(engine.ctx, {
    name: "clerk",
    permissions: { item: { create: "all", read: "all", update: "all" } },
  });
  clerk = await createTestUser(engine.ctx, { login: "clerk", roleIds: [role.id] });
});
afterAll(() => engine?.close());

describe("the audit of a batch import", () => {
  it("all-or-nothing refused: neither records nor audit rows are left", async () => {
    const res = await importCsv(csv("Z"));
    expect(res.status).toBe(422);
    expect(await engine.ctx.db.knex("data.item").count({ n: "*" })).toEqual([{ n: 0 }]);
    expect(await auditRows()).toEqual([]);
  }, 180_000);

  it("skip-invalid: one audit row per landed record, each with its values and the importing user", async () => {
    const res = await importCsv(csv("A"), "?mode=skip-invalid");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: N - BAD.size, skipped: BAD.size });
    const records = await engine.ctx.db.knex("data.item").select("id", "code");
    const audit = await auditRows();
    expect(audit).toHaveLength(N - BAD.size);
    expect(new Set(audit.map((a) => a.record_id))).toEqual(new Set(records.map((r) => r.id)));
    const codeOf = new Map(records.map((r) => [r.id, r.code]));
    for (const a of audit) {
      expect(a).toMatchObject({ action: "create", channel: "import", actor_id: clerk.id, actor_login: "clerk" });
      const i = Number(codeOf.get(a.record_id).slice(1));
      expect(a.changes).toEqual({
        code: { old: null, new: `A${i}` },
        name: { old: null, new: `货品 ${i}, "A"` },
        price: { old: null, new: `${i}.50` },
        ...(i % 3 ? { stage: { old: null, new: "new" } } : {}),
        owner_id: { old: null, new: clerk.id },
      });
    }
  }, 180_000);

  it("an upserting import audits created rows and updated rows (old and new values) alike", async () => {
    const before = (await auditRows()).length;
    const res = await importCsv("code,price\nA1,9.99\nA0,1.25\nB1,3", "?upsertBy=code&mode=skip-invalid");
    expect(res.body).toMatchObject({ created: 0, updated: 2, skipped: 1 });
    const audit = (await auditRows()).slice(before);
    expect(audit.map((a) => [a.action, a.changes])).toEqual([
      ["update", { price: { old: "1.50", new: "9.99" } }],
      ["update", { price: { old: "0.50", new: "1.25" } }],
    ]);
  });
});
