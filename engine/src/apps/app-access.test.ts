import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineContext } from "../engine-context";
import { openMetadataTestContext } from "../metadata/test-kit";
import { defineEntities } from "../testing/define-entities";
import { installAppAccess, readAppAccess } from "./app-access";

let ctx: EngineContext & { close(): Promise<void> };

function appDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kehu-app-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

beforeAll(async () => {
  ctx = await openMetadataTestContext();
  await defineEntities(ctx, [
    {
      name: "customer",
      fields: [
        { name: "name", type: "text" },
        { name: "margin", type: "decimal" },
      ],
    },
  ]);
}, 90_000);

afterAll(() => ctx?.close());

describe("an app's departments and roles", () => {
  const good = {
    "departments.yaml": "- code: HQ\n  name: 总部\n  children:\n    - { code: SH, name: 上海分公司 }\n",
    "roles/sales.role.yaml":
      "label: { en: Sales, zh: 销售 }\npermissions:\n  customer: { read: department, update: own }\nfields:\n  customer: { margin: { read: false, write: false } }\n",
  };

  it("are created, then updated in place when applied again", async () => {
    const first = await installAppAccess(ctx, readAppAccess(appDir(good)));
    expect(first).toEqual({ departments: 2, roles: 1 });
    const changed = { ...good, "roles/sales.role.yaml": "permissions:\n  customer: { read: all }\n" };
    await installAppAccess(ctx, readAppAccess(appDir(changed)));
    const k = ctx.db.knex;
    expect(await k("kehu.departments").count<{ n: number }[]>({ n: "*" }).first()).toEqual({ n: 2 });
    const sh = await k("kehu.departments as d")
      .join("kehu.departments as p", "p.id", "d.parent_id")
      .where("d.code", "SH")
      .first("p.code");
    expect(sh.code).toBe("HQ");
    const perms = await k("kehu.role_permissions as p")
      .join("kehu.roles as r", "r.id", "p.role_id")
      .where("r.name", "sales")
      .select("action", "scope");
    expect(perms).toEqual([{ action: "read", scope: "all" }]);
    expect(await k("kehu.field_permissions").count<{ n: number }[]>({ n: "*" }).first()).toEqual({ n: 0 });
  });

  it("are refused together, each problem named by its file, when a role names what does not exist", async () => {
    const bad = {
      "roles/clerk.role.yaml": "permissions:\n  invoice: { read: all }\n  customer: { read: everywhere }\n",
      "roles/typo.role.yaml": "permisions:\n  customer: { read: all }\n",
    };
    await expect(installAppAccess(ctx, readAppAccess(appDir(bad)))).rejects.toMatchObject({
      issues: [
        { path: "roles/typo.role.yaml/permisions", message: expect.stringMatching(/^unknown key/) },
        { path: "roles/clerk.role.yaml/permissions/invoice", message: 'no entity named "invoice"' },
        {
          path: "roles/clerk.role.yaml/permissions/customer/read",
          message: expect.stringMatching(/scope must be one of/),
        },
      ],
    });
    expect(await ctx.db.knex("kehu.roles").where({ name: "clerk" }).first()).toBeUndefined();
  });
});
