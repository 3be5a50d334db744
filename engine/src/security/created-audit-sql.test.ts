import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowToRecord } from "../records/record-codec";
import { entityTableRef } from "../storage/identifiers";
import { defineEntities } from "../testing/define-entities";
import { sampleContact, sampleCustomer } from "../testing/sample-entities";
import { startTestEngine, type TestEngine } from "../testing/test-engine";
import { recordChanges } from "./audit-writer";

let engine: TestEngine;

// Every stored type, plus the computed ones (formula, rollup, autonumber) a new record's audit must get right.
const customer: EntityDefinition = {
  ...sampleCustomer,
  fields: [
    ...sampleCustomer.fields,
    { name: "number", type: "autonumber", pattern: "KH-{0000}" },
    { name: "double_rating", type: "formula", expression: "rating * 2", resultType: "decimal" },
    { name: "contacts", type: "rollup", child: "contact", via: "customer", function: "count" },
  ],
};

// Without a formula a single create audits itself inside its INSERT (no transaction); with one it cannot.
const account: EntityDefinition = {
  ...sampleCustomer,
  name: "account",
  fields: [...sampleCustomer.fields, { name: "number", type: "autonumber", pattern: "AC-{0000}" }],
};

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [customer, sampleContact, account]);
});
afterAll(() => engine?.close());

/** Values of every kind, edge cases included: nulls, zero, false, empty arrays, quotes, CJK, trailing zeros. */
function body(i: number): Record<string, unknown> {
  const maybe = <T>(v: T) => (i % 5 === 4 ? null : v);
  return {
    name: `客户 "${i}" O'Neil\\`,
    code: `K${i}`,
    ...(i % 3 === 0 ? {} : { tier: ["gold", "potential", "general"][i % 3] }),
    credit: maybe({ amount: `${i}.50`, currency: i % 2 ? "CNY" : "USD" }),
    employees: maybe(i % 4 === 0 ? 0 : i * 1000),
    rating: maybe(i % 2 ? "1.50" : "-3"),
    active: maybe(i % 2 === 0),
    founded: maybe(`20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}`),
    last_contact: maybe(
      ["2024-05-17T08:30:00.000Z", "2024-05-17T08:30:00.123Z", "2024-05-17T08:30:00.123456Z", "1999-12-31T23:59:59.1Z"][
        i % 4
      ],
    ),
    tags: maybe(i % 3 === 0 ? [] : ["vip", "new"].slice(0, 1 + (i % 2))),
    email: maybe(`k${i}@example.com`),
    notes: i % 2 ? "line one\nline two\ttab" : null,
    extra: maybe(i % 2 ? { a: [1, "二", null], b: { c: true } } : [1.5, "x"]),
  };
}

describe("auditing new records inside the write", () => {
  it("records exactly what the record-by-record audit recorded: every set value, as the API reads it", async () => {
    const created = await engine.http("/api/data/customer/bulk", {
      method: "POST",
      body: { records: Array.from({ length: 40 }, (_, i) => body(i)), upsertBy: "code" },
    });
    expect(created.status).toBe(200);
    expect(created.body.created).toBe(40);
    const knex = engine.ctx.db.knex;
    const rows = await knex(entityTableRef("customer")).whereIn("id", created.body.ids);
    const audit = await knex("kehu.audit_log").where({ entity: "customer" }).whereIn("record_id", created.body.ids);
    expect(audit).toHaveLength(40);
    const changesOf = new Map(audit.map((a) => [a.record_id, a]));
    for (const row of rows) {
      const a = changesOf.get(row.id)!;
      expect(a).toMatchObject({ action: "create", actor_login: engine.admin.login, actor_id: engine.admin.id });
      expect(a.changes).toEqual(recordChanges(customer, null, rowToRecord(customer, row)));
    }
    // Spot checks of the shapes a reader sees.
    const first = changesOf.get(created.body.ids[1])!.changes;
    expect(first.credit.new).toEqual({ amount: "1.50", currency: "CNY" });
    expect(first.last_contact.new).toBe("2024-05-17T08:30:00.123Z");
    expect(first.number.new).toMatch(/^KH-\d{4}$/);
    expect(first.contacts).toEqual({ old: null, new: 0 });
    expect(first.double_rating).toBeUndefined();
    expect(changesOf.get(created.body.ids[2])!.changes.last_contact.new).toBe("2024-05-17T08:30:00.123456Z");
    expect(changesOf.get(created.body.ids[4])!.changes.credit).toBeUndefined();
  });

  it("still records the old and new values of the records an upsert updates, in the same call", async () => {
    const res = await engine.http("/api/data/customer/bulk", {
      method: "POST",
      body: {
        records: [
          { code: "K1", rating: "2.00" },
          { name: "New one", code: "K-new" },
        ],
        upsertBy: "code",
      },
    });
    expect(res.body).toMatchObject({ created: 1, updated: 1 });
    const [k1, fresh] = res.body.ids;
    const trail = (id: string) => engine.ctx.db.knex("kehu.audit_log").where({ record_id: id }).orderBy("id");
    const one = await trail(k1);
    expect(one.map((a) => a.action)).toEqual(["create", "update"]);
    expect(one[1].changes).toEqual({ rating: { old: "1.50", new: "2.00" } });
    const other = await trail(fresh);
    expect(other.map((a) => a.action)).toEqual(["create"]);
    expect(other[0].changes.name).toEqual({ old: null, new: "New one" });
  });

  it("audits a record created alone, with or without a formula, exactly as the API returns it", async () => {
    const knex = engine.ctx.db.knex;
    const changes: Record<string, unknown>[] = [];
    for (const [entity, name] of [
      [account, "account"],
      [customer, "customer"],
    ] as const)
      for (let i = 100; i < 110; i++) {
        const created = await engine.http(`/api/data/${name}`, { method: "POST", body: body(i) });
        expect(created.status).toBe(201);
        const audit = await knex("kehu.audit_log").where({ entity: name, record_id: created.body.id });
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ action: "create", channel: "api", actor_id: engine.admin.id });
        expect(audit[0].changes).toEqual(recordChanges(entity, null, created.body));
        changes.push(audit[0].changes);
      }
    // body(100): rating -3, so the customer's formula doubles it, and its audit row says so.
    expect(changes[10].double_rating).toEqual({ old: null, new: "-6" });
  });

  it("leaves neither record nor audit row when a single create is refused by the database", async () => {
    const knex = engine.ctx.db.knex;
    const count = async () =>
      Number((await knex("kehu.audit_log").where({ entity: "account" }).count({ n: "*" }))[0].n);
    const before = await count();
    const again = await engine.http("/api/data/account", { method: "POST", body: body(100) });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("code");
    expect(await count()).toBe(before);
    const [{ n }] = await knex(entityTableRef("account")).where({ code: "K100" }).count({ n: "*" });
    expect(Number(n)).toBe(1);
  });
});
