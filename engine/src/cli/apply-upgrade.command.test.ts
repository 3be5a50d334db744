import { fileURLToPath } from "node:url";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readInstalledApp } from "../apps/installed-apps";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import { applyEntities } from "../metadata/apply-entities";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

const fixtures = fileURLToPath(new URL("../apps/fixtures/mini-crm", import.meta.url));

function cli(db: () => Database) {
  return async (...argv: string[]) => {
    const io = captureIo({ cwd: fixtures, openDatabase: keepOpen(db()) });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
}
async function withEngine<T>(db: Database, run: (e: Awaited<ReturnType<typeof createEngine>>) => Promise<T>) {
  const engine = await createEngine({ ...db, close: async () => {} }, createLogger("silent"));
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}
const stored = (db: Database, name: string) =>
  withEngine(db, async (e) => e.ctx.registry.get(name) as EntityDefinition);
const fieldsOf = async (db: Database) => (await stored(db, "customer")).fields;
const rows = (db: Database, columns: string[]) => db.knex("data.customer").select(columns).orderBy("name");

describe("kehu apply of an app package: installed versions and upgrades with data", () => {
  let db: Database;
  const kehu = cli(() => db);
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it("installs v1, records its version, and finds nothing to do when applied again", async () => {
    const first = await kehu("apply", "v1");
    expect(first.err).toBe("");
    expect(first.out).toContain("Installing mini-crm 1.0.0.");
    expect(first.code).toBe(0);
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "1.0.0" });

    const again = await kehu("apply", "v1");
    expect(again.code).toBe(0);
    expect(again.out).toContain("mini-crm 1.0.0 is installed; merging its template with local edits.");
    expect(again.out).toContain("customer (v1/entities/customer.entity.yaml): no changes");
    expect(again.out).toContain("Nothing to apply: every entity is up to date.");
  });

  it("refuses --take for a folder that is not an app package", async () => {
    const r = await kehu("apply", "v1/entities", "--take", "local");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--take decides upgrade conflicts of an app package, and v1/entities has no kehu.app.yaml");
  });

  it("upgrades to v2: the renamed field keeps its values, the new field gets its default", async () => {
    await db.knex("data.customer").insert([
      { name: "华东建材", phone: "13800000001", tier: "gold", fax: "021-1" },
      { name: "Acme", phone: "555-0100", tier: "general" },
    ]);
    const refused = await kehu("apply", "v2");
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("Upgrading mini-crm 1.0.0 → 2.0.0, keeping local edits made since 1.0.0.");
    expect(refused.out).toMatch(/! Drop field fax .*\[destructive\]/);
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "1.0.0" });

    const r = await kehu("apply", "v2", "--yes");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Rename phone to mobile, keeping its values");
    expect(await rows(db, ["name", "mobile", "source", "tier"])).toEqual([
      { name: "Acme", mobile: "555-0100", source: "store", tier: "general" },
      { name: "华东建材", mobile: "13800000001", source: "store", tier: "gold" },
    ]);
    expect((await fieldsOf(db)).map((f) => f.name)).toEqual(["name", "mobile", "source", "tier"]);
    expect(await stored(db, "contact")).toBeDefined();
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "2.0.0" });

    const again = await kehu("apply", "v2");
    expect(again.out).toContain("Nothing to apply: every entity is up to date.");
  });
});

describe("kehu apply upgrading an app the customer edited locally", () => {
  let db: Database;
  const kehu = cli(() => db);
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it("installs v1 with data, then the customer edits the model in place", async () => {
    expect((await kehu("apply", "v1")).code).toBe(0);
    await withEngine(db, async (e) => {
      const customer = structuredClone(e.ctx.registry.require("customer"));
      const field = (n: string) => customer.fields.find((f) => f.name === n) as (typeof customer.fields)[number];
      field("name").label = { en: "Customer name", zh: "客户名称" };
      field("tier").label = { en: "Level", zh: "级别" };
      field("tier").values = ["gold", "general", "potential"];
      field("fax").label = { en: "Fax", zh: "传真" };
      customer.fields.push({ name: "wechat", type: "text", label: { en: "WeChat", zh: "微信" } });
      await applyEntities(e.ctx, [customer], { actor: "studio:alice" });
    });
    await db
      .knex("data.customer")
      .insert([{ name: "华东建材", phone: "13800000001", tier: "potential", wechat: "hd-jc", fax: "021-1" }]);
  });

  it("lists the conflicts readably and applies nothing while they are undecided", async () => {
    const before = await stored(db, "customer");
    const r = await kehu("apply", "v2", "--yes");
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "Local edits kept (3): customer.fields.tier.label, customer.fields.tier.values.potential, customer.fields.wechat.",
    );
    expect(r.out).toContain(
      [
        "2 conflicts between the template 2.0.0 and local edits (2 undecided):",
        "  customer.fields.name.label: changed by both the template and locally",
        '      installed 1.0.0: {"en":"Name","zh":"名称"}',
        '      template 2.0.0:  {"en":"Company name","zh":"公司名称"}',
        '      local:           {"en":"Customer name","zh":"客户名称"}',
        "  customer.fields.fax: the template deletes this field; it was changed locally",
        '      installed 1.0.0: {"name":"fax","type":"text"}',
        '      local:           {"name":"fax","type":"text","label":{"en":"Fax","zh":"传真"}}',
      ].join("\n"),
    );
    expect(r.err).toContain(
      "Nothing was applied: 2 conflicts to decide. Run again with --take <conflict>=template|local",
    );
    expect(await stored(db, "customer")).toEqual(before);
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "1.0.0" });
  });

  it("refuses a decision for a conflict that does not exist, and a side that is neither", async () => {
    const typo = await kehu("apply", "v2", "--take", "template", "--take", "customer.fields.nmae.label=local");
    expect(typo.code).toBe(1);
    expect(typo.err).toContain(
      "--take customer.fields.nmae.label: no such conflict (conflicts: customer.fields.name.label, customer.fields.fax)",
    );
    const side = await kehu("apply", "v2", "--take", "mine");
    expect(side.code).toBe(2);
    expect(side.err).toContain("--take mine: say template or local");
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "1.0.0" });
  });

  it("applies both sides' changes once each conflict is decided, keeping every record's values", async () => {
    const r = await kehu(
      "apply",
      "v2",
      "--yes",
      "--take",
      "customer.fields.name.label=local",
      "--take",
      "customer.fields.fax=template",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("  customer.fields.name.label: changed by both the template and locally → taking local");
    const fields = await fieldsOf(db);
    const field = (n: string) => fields.find((f) => f.name === n);
    expect(fields.map((f) => f.name)).toEqual(["name", "mobile", "source", "tier", "wechat"]);
    expect(field("name")?.label).toEqual({ en: "Customer name", zh: "客户名称" });
    expect(field("mobile")?.label).toEqual({ en: "Mobile", zh: "手机" });
    expect(field("tier")).toMatchObject({
      label: { en: "Level", zh: "级别" },
      values: ["gold", "silver", "general", "potential"],
    });
    expect(await rows(db, ["name", "mobile", "source", "tier", "wechat"])).toEqual([
      { name: "华东建材", mobile: "13800000001", source: "store", tier: "potential", wechat: "hd-jc" },
    ]);
    expect(await readInstalledApp(db.knex, "mini-crm")).toMatchObject({ version: "2.0.0" });
  });

  it("keeps the decided local edits when the same version is applied again", async () => {
    const before = await stored(db, "customer");
    const r = await kehu("apply", "v2");
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("conflict");
    expect(r.out).toContain("Nothing to apply: every entity is up to date.");
    expect(await stored(db, "customer")).toEqual(before);
  });
});
