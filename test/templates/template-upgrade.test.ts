import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyEntities } from "@kehu/engine";
import { runKehu, seedTemplate, startTestEngine, type TestEngine, templateDir } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// building-materials v1 with its seed data, edited locally by the customer, then upgraded to a v2 generated from the
// real template: the manifest version bumped, designer.studio renamed to studio_name, designer.wechat added, and
// changes to the contract form and the sales role next to the customer's own edits.
let engine: TestEngine;
let v2: string;
const knex = () => engine.ctx.db.knex;

function edit(dir: string, file: string, change: (text: string) => string) {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`the v2 fixture did not change ${file}`);
  writeFileSync(path, after);
}

function makeV2(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "kehu-bm-v2-")), "building-materials");
  cpSync(templateDir("building-materials"), dir, { recursive: true });
  edit(dir, "kehu.app.yaml", (t) => t.replace(/^version: .*$/m, "version: 0.2.0"));
  edit(dir, "entities/designer.entity.yaml", (t) =>
    t.replace(
      "  - { name: studio, type: text, label: { en: Design studio, zh: 设计工作室 } }",
      "  - { name: studio_name, renamedFrom: studio, type: text, label: { en: Design studio, zh: 设计工作室 } }\n" +
        "  - { name: wechat, type: text, max: 64, label: { en: WeChat, zh: 微信 } }",
    ),
  );
  edit(dir, "forms/contract.form.json", (t) => {
    const form = JSON.parse(t);
    form.sections[1].columns = 2; // Amounts: 3 → 2 columns
    return `${JSON.stringify(form, null, 2)}\n`;
  });
  edit(dir, "roles/sales.role.yaml", (t) =>
    t.replace("  collection: { read: department }", "  collection: { read: department, create: department }"),
  );
  return dir;
}

async function role(name: string) {
  const { id } = await knex()("kehu.roles").where({ name }).first("id");
  const res = await engine.http(`/api/admin/roles/${id}/permissions`);
  return { id, permissions: res.body as { entities: Record<string, Record<string, string>> } };
}

beforeAll(async () => {
  engine = await startTestEngine();
  v2 = makeV2();
}, 240_000);

afterAll(async () => {
  await engine?.close();
  if (v2) rmSync(join(v2, ".."), { recursive: true, force: true });
});

describe("upgrading building-materials v1 with data to a v2 template", () => {
  it("migrates the data and keeps the customer's local edits to an entity, a form and a role", async () => {
    const v1 = await runKehu(engine.ctx.db, ["apply", templateDir("building-materials")]);
    expect(v1.err).toBe("");
    expect(v1.code).toBe(0);
    await engine.ctx.registry.refresh();
    await seedTemplate(engine.ctx, "building-materials");
    const studios = await knex()("data.designer").select("id", "studio").orderBy("id");
    expect(studios.filter((d) => d.studio).length).toBeGreaterThan(0);

    // Local edits: a field label on an entity, a field moved and a help text changed on the contract form, and a
    // permission of the sales role.
    const designer = structuredClone(engine.ctx.registry.require("designer"));
    const mobile = designer.fields.find((f) => f.name === "mobile");
    if (!mobile) throw new Error("designer.mobile missing");
    mobile.label = { en: "Mobile (WeChat)", zh: "手机(微信)" };
    await applyEntities(engine.ctx, [designer], { actor: "consultant", confirm: true });
    const form = (await engine.http("/api/meta/forms/contract/contract")).body.definition;
    const parties = form.sections[2].fields;
    form.sections[0].fields.push(
      parties.splice(
        parties.findIndex((f: { field: string }) => f.field === "designer"),
        1,
      )[0],
    );
    form.sections[0].fields[1].help = { en: "Title on the signed copy", zh: "签署版名称" };
    expect((await engine.http("/api/meta/forms/contract/contract", { method: "PUT", body: form })).status).toBe(200);
    const sales = await role("sales");
    sales.permissions.entities.expense.update = "department";
    const put = await engine.http(`/api/admin/roles/${sales.id}/permissions`, {
      method: "PUT",
      body: {
        entities: sales.permissions.entities,
        fields: { sales_rep: { reserve_released: { read: false, write: false } } },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const up = await runKehu(engine.ctx.db, ["apply", v2]);
    expect(up.err).toBe("");
    expect(up.code).toBe(0);
    expect(up.out).toContain("Upgrading building-materials 0.1.0 → 0.2.0");
    expect(up.out).toContain("Rename studio to studio_name, keeping its values");
    await engine.ctx.registry.refresh();

    // Data: the renamed column kept every value; the new one is there, empty.
    const after = await knex()("data.designer").select("id", "studio_name", "wechat").orderBy("id");
    expect(after.map((d) => [d.id, d.studio_name])).toEqual(studios.map((d) => [d.id, d.studio]));
    expect(after.every((d) => d.wechat === null)).toBe(true);
    const upgraded = engine.ctx.registry.require("designer");
    expect(upgraded.fields.find((f) => f.name === "mobile")?.label).toEqual({
      en: "Mobile (WeChat)",
      zh: "手机(微信)",
    });
    expect(upgraded.fields.map((f) => f.name)).toContain("wechat");

    // The form: the customer's move and help text, and the template's new column count.
    const merged = (await engine.http("/api/meta/forms/contract/contract")).body.definition;
    expect(merged.sections[0].fields.map((f: { field: string }) => f.field)).toContain("designer");
    expect(merged.sections[2].fields.map((f: { field: string }) => f.field)).not.toContain("designer");
    expect(merged.sections[0].fields[1].help).toEqual({ en: "Title on the signed copy", zh: "签署版名称" });
    expect(merged.sections[1].columns).toBe(2);

    // The role: the customer's expense scope, and the template's new collection permission.
    const role2 = await role("sales");
    expect(role2.permissions.entities.expense.update).toBe("department");
    expect(role2.permissions.entities.collection).toEqual({ read: "department", create: "department" });

    // Applying v2 again finds nothing to do, and keeps everything as it is.
    const again = await runKehu(engine.ctx.db, ["apply", v2]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("Nothing to apply: every entity is up to date.");
    expect((await role("sales")).permissions.entities.expense.update).toBe("department");
  }, 600_000);

  it("lists a change both the template and the customer made to the same form element, and applies --take", async () => {
    const form = (await engine.http("/api/meta/forms/contract/contract")).body.definition;
    form.sections[1].columns = 1;
    expect((await engine.http("/api/meta/forms/contract/contract", { method: "PUT", body: form })).status).toBe(200);
    edit(v2, "kehu.app.yaml", (t) => t.replace("version: 0.2.0", "version: 0.3.0"));
    edit(v2, "forms/contract.form.json", (t) => {
      const next = JSON.parse(t);
      next.sections[1].columns = 4;
      return `${JSON.stringify(next, null, 2)}\n`;
    });

    const refused = await runKehu(engine.ctx.db, ["apply", v2]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("forms.contract.sections.amounts.columns: changed by both the template and locally");
    expect((await engine.http("/api/meta/forms/contract/contract")).body.definition.sections[1].columns).toBe(1);

    const taken = await runKehu(engine.ctx.db, [
      "apply",
      v2,
      "--take",
      "forms.contract.sections.amounts.columns=local",
    ]);
    expect(taken.err).toBe("");
    expect(taken.code).toBe(0);
    const kept = (await engine.http("/api/meta/forms/contract/contract")).body.definition;
    expect(kept.sections[1].columns).toBe(1);
    expect(kept.sections[0].fields.map((f: { field: string }) => f.field)).toContain("designer");
  }, 600_000);
});
