import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { loadPermissionSet } from "./permission-model";
import { replaceRolePermissions } from "./role-permissions";
import { deleteRole } from "./roles";

let db: Database;
let knex: Knex;
const role: Record<string, string> = {};

beforeAll(async () => {
  db = await openTestDatabase();
  knex = db.knex;
  for (const name of ["narrow", "wide", "plain", "reader"]) {
    const [row] = await knex("kehu.roles").insert({ name }).returning("id");
    role[name] = row.id;
  }
  await knex("kehu.role_permissions").insert([
    { role_id: role.narrow, entity: "deal", action: "read", scope: "own" },
    { role_id: role.narrow, entity: "deal", action: "update", scope: "own" },
    { role_id: role.wide, entity: "deal", action: "read", scope: "department_tree" },
    { role_id: role.plain, entity: "deal", action: "read", scope: "department" },
    { role_id: role.reader, entity: "deal", action: "read", scope: "department" },
  ]);
  await knex("kehu.field_permissions").insert([
    { role_id: role.narrow, entity: "deal", field: "margin", can_read: false, can_write: false },
    { role_id: role.narrow, entity: "deal", field: "stage", can_read: true, can_write: false },
    { role_id: role.reader, entity: "deal", field: "margin", can_read: false, can_write: false },
    { role_id: role.reader, entity: "deal", field: "stage", can_read: true, can_write: true },
  ]);
});
afterAll(() => db?.close());

describe("effective permissions of a set of roles", () => {
  it("takes the widest scope per action among the roles; an action no role grants is absent", async () => {
    const deal = (await loadPermissionSet(knex, [role.narrow, role.wide])).entity("deal");
    expect(deal.scopes).toEqual({ read: "department_tree", update: "own" });
    expect((await loadPermissionSet(knex, [role.narrow])).entity("customer").scopes).toEqual({});
    expect((await loadPermissionSet(knex, [])).entities().size).toBe(0);
  });

  it("hides a field only when every role that grants the entity denies it", async () => {
    const both = (await loadPermissionSet(knex, [role.narrow, role.reader])).entity("deal");
    expect([...both.hidden]).toEqual(["margin"]);
    expect([...both.readOnly].sort()).toEqual(["margin"]);
    const narrow = (await loadPermissionSet(knex, [role.narrow])).entity("deal");
    expect([...narrow.readOnly].sort()).toEqual(["margin", "stage"]);
    const withPlain = (await loadPermissionSet(knex, [role.narrow, role.plain])).entity("deal");
    expect(withPlain.hidden.size).toBe(0);
  });

  it("sees a change made through Kehu at once, and one made behind its back within a second", async () => {
    let now = Date.now() + 5000;
    const clock = vi.spyOn(Date, "now");
    clock.mockImplementation(() => now);
    try {
      const first = await loadPermissionSet(knex, [role.plain]);
      expect(await loadPermissionSet(knex, [role.plain])).toBe(first);
      await knex("kehu.role_permissions").insert({
        role_id: role.plain,
        entity: "deal",
        action: "delete",
        scope: "own",
      });
      expect((await loadPermissionSet(knex, [role.plain])).entity("deal").scopes.delete).toBeUndefined();
      now += 1001;
      expect((await loadPermissionSet(knex, [role.plain])).entity("deal").scopes.delete).toBe("own");

      await replaceRolePermissions(knex, role.plain, {
        entities: { deal: { read: "department" } },
        fields: { deal: { margin: { read: false, write: false } } },
      });
      const changed = await loadPermissionSet(knex, [role.plain, role.reader]);
      expect(changed.entity("deal").hidden.has("margin")).toBe(true);
      await deleteRole(knex, role.plain);
      expect((await loadPermissionSet(knex, [role.plain])).entity("deal").scopes).toEqual({});
    } finally {
      clock.mockRestore();
    }
  });
});
