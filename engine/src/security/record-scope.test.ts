import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import type { Scope } from "./permission-model";
import { type Principal, SYSTEM_PRINCIPAL } from "./principal";
import { scopePredicate } from "./record-scope";

let db: Database;
let knex: Knex;
const dept: Record<string, string> = {};
const users = { u1: "00000000-0000-4000-8000-000000000001", u2: "00000000-0000-4000-8000-000000000002" };
const entity = { name: "thing", ownership: "department", fields: [] } as unknown as EntityDefinition;

beforeAll(async () => {
  db = await openTestDatabase();
  knex = db.knex;
  const add = async (name: string, parent?: string) => {
    const [row] = await knex("kehu.departments")
      .insert({ name, parent_id: parent ?? null })
      .returning("id");
    dept[name] = row.id;
  };
  await add("root");
  await add("child", dept.root);
  await add("grandchild", dept.child);
  await add("other");
  await knex.raw("CREATE TABLE data.thing (name text, owner_id uuid, department_id uuid)");
  await knex("data.thing").insert([
    { name: "mine in root", owner_id: users.u1, department_id: dept.root },
    { name: "theirs in child", owner_id: users.u2, department_id: dept.child },
    { name: "theirs in grandchild", owner_id: users.u2, department_id: dept.grandchild },
    { name: "mine in other", owner_id: users.u1, department_id: dept.other },
    { name: "nobody's", owner_id: null, department_id: null },
  ]);
});
afterAll(() => db?.close());

const principal = (departmentId: string | null): Principal => ({
  ...SYSTEM_PRINCIPAL,
  userId: users.u1,
  login: "u1",
  departmentId,
  isAdmin: false,
  channel: "api",
});

async function names(scope: Scope, who: Principal, def = entity): Promise<string[]> {
  const q = knex("data.thing").orderBy("name").pluck("name");
  const p = scopePredicate(scope, def, who);
  if (p) q.whereRaw(p.sql, p.bindings);
  return q;
}

describe("record scopes as SQL predicates", () => {
  it("own, department, department tree and all select the records they say", async () => {
    expect(await names("own", principal(dept.root))).toEqual(["mine in other", "mine in root"]);
    expect(await names("department", principal(dept.child))).toEqual(["theirs in child"]);
    expect(await names("department_tree", principal(dept.child))).toEqual(["theirs in child", "theirs in grandchild"]);
    expect(await names("department_tree", principal(dept.root))).toEqual([
      "mine in root",
      "theirs in child",
      "theirs in grandchild",
    ]);
    expect(await names("all", principal(dept.root))).toHaveLength(5);
  });

  it("gives a user without a department no department records, and ownerless entities all", async () => {
    expect(await names("department", principal(null))).toEqual([]);
    expect(await names("department_tree", principal(null))).toEqual([]);
    expect(await names("own", principal(null), { ...entity, ownership: "none" })).toHaveLength(5);
  });
});
