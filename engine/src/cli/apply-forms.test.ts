import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../create-engine";
import { listForms } from "../forms/form-store";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
let cwd: string;
beforeAll(async () => {
  db = await openTestDatabase();
  cwd = mkdtempSync(join(tmpdir(), "kehu-forms-"));
});
afterAll(async () => {
  await db?.close();
  rmSync(cwd, { recursive: true, force: true });
});

function write(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(cwd, name, ".."), { recursive: true });
    writeFileSync(join(cwd, name), text);
  }
}
async function kehu(...argv: string[]) {
  return kehuOn(db, ...argv);
}
async function kehuOn(on: Database, ...argv: string[]) {
  const io = captureIo({ cwd, openDatabase: keepOpen(on) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
async function stored(on = db) {
  const engine = await createEngine({ ...on, close: async () => {} }, createLogger("silent"));
  return listForms(engine.ctx.db.knex);
}

const customer = `name: customer
fields:
  - {name: name, type: text, required: true}
  - {name: tier, type: enum, values: [gold, general]}
  - {name: credit, type: money}
`;
const form = (fields: unknown[]) =>
  JSON.stringify({
    entity: "customer",
    name: "customer",
    role: null,
    label: { en: "Customer", zh: "客户" },
    sections: [{ title: { en: "Main", zh: "主要" }, columns: 2, fields }],
  });

describe("kehu apply with forms/*.form.json", () => {
  it("names a wrong form by file and path and applies no form", async () => {
    write({
      "app/entities/customer.entity.yaml": customer,
      "app/forms/customer.form.json": form([{ field: "name" }, { field: "credit", widget: "radio" }]),
    });
    const r = await kehu("apply", "app");
    expect(r.code).toBe(1);
    expect(r.err).toContain('app/forms/customer.form.json: /sections/0/fields/1/widget: widget "radio" does not fit');
    expect(r.err).toContain("no form was applied");
    expect(await stored()).toEqual([]);
  });

  it("applies the forms after the entities, and again changes nothing", async () => {
    write({ "app/forms/customer.form.json": form([{ field: "name" }, { field: "tier", widget: "radio" }]) });
    const first = await kehu("apply", "app");
    expect(first.err).toBe("");
    expect(first.out).toContain("Forms: 1 created, 0 changed, 0 unchanged.");
    const again = await kehu("apply", "app");
    expect(again.out).toContain("Forms: 0 created, 0 changed, 1 unchanged.");
    write({ "app/forms/customer.form.json": form([{ field: "tier" }, { field: "name" }]) });
    expect((await kehu("apply", "app")).out).toContain("Forms: 0 created, 1 changed, 0 unchanged.");
    const [only] = await stored();
    expect(only.revision).toBe(2);
    expect(only.definition.sections[0].fields.map((f) => f.field)).toEqual(["tier", "name"]);
  });

  it("applies the shipped templates' forms", { timeout: 240_000 }, async () => {
    const names: string[] = [];
    for (const app of ["auto-dealer", "building-materials"]) {
      const own = await openTestDatabase();
      try {
        const r = await kehuOn(own, "apply", resolve(__dirname, "../../../examples", app));
        expect(r.err).toBe("");
        expect(r.out).toContain("Forms: 1 created");
        names.push(...(await stored(own)).map((f) => `${f.definition.entity}/${f.definition.name}`));
      } finally {
        await own.close();
      }
    }
    expect(names).toEqual(["lead/lead", "contract/contract"]);
  });
});
