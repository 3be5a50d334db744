import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EntityDefinition } from "@kehu/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { defineEntities } from "../testing/define-entities";
import { sampleContact, sampleCustomer } from "../testing/sample-entities";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

const contract: EntityDefinition = {
  name: "contract",
  label: { en: "Contract", zh: "合同" },
  description: { en: "A signed sale", zh: "已签署的销售合同" },
  titleField: "title",
  ownership: "user",
  audit: true,
  fields: [
    { name: "title", type: "text", required: true, searchable: true, help: { en: "Shown in lists", zh: "列表中显示" } },
    { name: "customer", type: "reference", target: "customer", onDelete: "restrict", required: true },
    { name: "amount", type: "money", precision: 14, scale: 2, currencies: ["CNY", "USD"] },
    {
      name: "status",
      type: "enum",
      default: "draft",
      values: [{ value: "draft", label: { en: "Draft", zh: "草稿" } }, { value: "signed" }, "void"],
    },
    { name: "code", type: "text", pattern: "^HT-\\d{4}$", searchable: false, indexed: true },
    { name: "memo", type: "longtext", searchable: true },
    { name: "signed_on", type: "date", default: "2024-01-01" },
  ],
  indexes: [{ fields: ["customer", "signed_on"] }, { fields: ["code", "customer"], unique: true }],
};

let source: Database;
let target: Database;
let dir: string;
beforeAll(async () => {
  [source, target] = await Promise.all([openTestDatabase(), openTestDatabase()]);
  dir = mkdtempSync(join(tmpdir(), "kehu-export-"));
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function kehu(db: Database, ...argv: string[]) {
  const io = captureIo({ cwd: dir, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
async function engineOn(db: Database): Promise<Engine> {
  return createEngine({ ...db, close: async () => {} }, createLogger("silent"));
}
const files = (folder: string) =>
  Object.fromEntries(
    readdirSync(join(dir, folder, "entities")).map((n) => [n, readFileSync(join(dir, folder, "entities", n), "utf8")]),
  );

describe("kehu export", () => {
  it("writes files that apply on an empty database and export again byte for byte", async () => {
    await defineEntities((await engineOn(source)).ctx, [sampleCustomer, sampleContact, contract]);
    const first = await kehu(source, "export", "first");
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toContain("created   first/entities/contract.entity.yaml");
    expect(first.out).toContain("Exported 3 entities to first (3 written, 0 unchanged).");

    const applied = await kehu(target, "apply", "first");
    expect(applied.err).toBe("");
    expect(applied.code).toBe(0);
    const second = await kehu(target, "export", "second");
    expect(second.code).toBe(0);

    const a = files("first");
    expect(Object.keys(a)).toEqual(["contact.entity.yaml", "contract.entity.yaml", "customer.entity.yaml"]);
    expect(files("second")).toEqual(a);
    // field ids travel with the files, so a later rename stays a rename on every database
    const ids = (db: Database) => engineOn(db).then((e) => e.ctx.registry.require("contract").fields.map((f) => f.id));
    expect(await ids(target)).toEqual(await ids(source));
    expect(a["contract.entity.yaml"]).toContain(`id: ${(await ids(source))[0]}`);
  });

  it("writes lean files in the fixed key order", () => {
    const text = files("first")["contract.entity.yaml"];
    const keys = text
      .split("\n")
      .filter((l) => /^[a-zA-Z]/.test(l))
      .map((l) => l.split(":")[0]);
    expect(keys).toEqual(["name", "label", "description", "titleField", "ownership", "audit", "fields", "indexes"]);
    expect(text).toContain(
      "label: { en: Contract, zh: 合同 }\ndescription: { en: A signed sale, zh: 已签署的销售合同 }\n",
    );
    expect(text).not.toMatch(/required: false|unique: false|renamedFrom/);
    expect(text).toMatch(
      /\n {2}- \{ id: f\w+, name: title, type: text, help: \{ en: Shown in lists, zh: 列表中显示 \}, required: true \}\n/,
    );
    expect(text).toContain(
      "    values:\n      - { value: draft, label: { en: Draft, zh: 草稿 } }\n      - signed\n      - void\n",
    );
    expect(text).toMatch(/name: code, type: text, indexed: true, searchable: false, pattern: "\^HT-\\\\d\{4\}\$" \}/);
    expect(text).toMatch(/name: memo, type: longtext, searchable: true \}/);
    expect(files("first")["customer.entity.yaml"]).not.toContain("searchable");
  });

  it("leaves unchanged files untouched and files of other entities in place", async () => {
    writeFileSync(join(dir, "first", "entities", "gone.entity.yaml"), "name: gone\n");
    const again = await kehu(source, "export", "first/");
    expect(again.out).toContain("unchanged first/entities/customer.entity.yaml");
    expect(again.out).toContain("left      first/entities/gone.entity.yaml (no such entity; not deleted)");
    expect(again.out).toContain("(0 written, 3 unchanged)");
  });
});
