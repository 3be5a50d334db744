import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { recordChanges, writeAudit } from "./audit-writer";
import { SYSTEM_PRINCIPAL } from "./principal";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

const entity = {
  name: "deal",
  fields: [
    { name: "title", type: "text" },
    { name: "amount", type: "money" },
  ],
} as unknown as EntityDefinition;

describe("the audit writer", () => {
  it("records only the fields that changed, with old and new values", () => {
    const before = { id: "1", title: "A", amount: { amount: "1.00", currency: "CNY" }, owner_id: null };
    const after = { id: "1", title: "A", amount: { amount: "2.00", currency: "CNY" }, owner_id: null };
    expect(recordChanges(entity, before, after)).toEqual({
      amount: { old: { amount: "1.00", currency: "CNY" }, new: { amount: "2.00", currency: "CNY" } },
    });
    expect(recordChanges(entity, null, { title: "B", amount: null })).toEqual({ title: { old: null, new: "B" } });
  });

  it("appends rows many at a time, and the table refuses any change to them", async () => {
    const recordId = "00000000-0000-4000-8000-00000000000a";
    const principal = { ...SYSTEM_PRINCIPAL, channel: "import" as const };
    await writeAudit(
      db.knex,
      Array.from({ length: 2500 }, (_, i) => ({
        principal,
        entity: "deal",
        recordId,
        action: "create" as const,
        changes: { title: { old: null, new: `t${i}` } },
      })),
    );
    const rows = await db.knex("kehu.audit_log").where({ record_id: recordId }).orderBy("id");
    expect(rows).toHaveLength(2500);
    expect(rows[2499]).toMatchObject({ channel: "import", actor_id: null, actor_login: "system", action: "create" });
    expect(rows[2499].changes).toEqual({ title: { old: null, new: "t2499" } });
    await expect(db.knex("kehu.audit_log").where({ record_id: recordId }).update({ action: "x" })).rejects.toThrow();
    await expect(db.knex("kehu.audit_log").where({ record_id: recordId }).delete()).rejects.toThrow();
    await expect(db.knex.raw("TRUNCATE kehu.audit_log")).rejects.toThrow();
  });
});
