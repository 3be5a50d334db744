import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../create-engine";
import { createLogger } from "../logger";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

let db: Database;
let cwd: string;
beforeAll(async () => {
  db = await openTestDatabase();
  cwd = mkdtempSync(join(tmpdir(), "kehu-apply-"));
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
  const io = captureIo({ cwd, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
async function storedEntities() {
  const engine = await createEngine({ ...db, close: async () => {} }, createLogger("silent"));
  return engine.ctx.registry.list();
}

const customer = `name: customer
label: {en: Customer, zh: 客户}
titleField: name
fields:
  - name: name
    type: text
    required: true
  - name: tier
    type: enum
    values: [gold, potential, general]
`;
const contact = `name: contact
fields:
  - {name: name, type: text}
  - {name: customer, type: reference, target: customer}
`;

describe("kehu apply", () => {
  it("prints the plan and applies nothing with --dry-run", async () => {
    write({ "app/entities/customer.entity.yaml": customer, "app/entities/contact.entity.yaml": contact });
    const r = await kehu("apply", "app", "--dry-run");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Read 2 entities from app; planning…");
    expect(r.out).toMatch(/contact \(app\/entities\/contact\.entity\.yaml\):\n {2}\+ .+/);
    expect(r.out).toMatch(/customer \(app\/entities\/customer\.entity\.yaml\):\n {2}\+ .+/);
    expect(r.out).toContain("Dry run: nothing was applied (2 steps on 2 entities, 0 destructive).");
    expect(await storedEntities()).toEqual([]);
  });

  it("applies the plan, then finds nothing to do", async () => {
    const r = await kehu("apply", "app");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Applied 2 steps on 2 entities in [\d.]+ s \(revisions \d+, \d+\)\./);
    expect((await storedEntities()).map((e) => e.name)).toEqual(["contact", "customer"]);
    const again = await kehu("apply", "app");
    expect(again.out).toContain("customer (app/entities/customer.entity.yaml): no changes");
    expect(again.out).toContain("Nothing to apply: every entity is up to date.");
  });

  it("gives one line per problem in bad files, and applies nothing", async () => {
    write({
      "bad/entities/deal.entity.yaml": "name: deal\nfields:\n  - name: amount\n    type: monee\n",
      "bad/entities/lead.entity.yaml": "name: lead\nfields:\n  - name: a\n    type: [\n",
      "bad/entities/ok.entity.yaml": "name: ok\nfields: [{name: a, type: text}]\n",
    });
    const r = await kehu("apply", "bad");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n")).toEqual([
      "bad/entities/lead.entity.yaml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
      expect.stringMatching(/^bad\/entities\/deal\.entity\.yaml: \/fields\/0\/type: must be one of: "text", /),
      "2 problems; nothing was applied.",
    ]);
    expect((await storedEntities()).map((e) => e.name)).toEqual(["contact", "customer"]);
  });

  it("names a missing reference target only once the database says it does not exist", async () => {
    write({ "ref/entities/deal.entity.yaml": "name: deal\nfields: [{name: buyer, type: reference, target: buyer}]\n" });
    const r = await kehu("apply", "ref", "--dry-run");
    expect(r.code).toBe(1);
    expect(r.err).toContain('ref/entities/deal.entity.yaml: /fields/0/target: no entity named "buyer"');
  });

  it("refuses destructive steps without --yes, and applies them with it", async () => {
    write({ "app/entities/customer.entity.yaml": customer.replace(/ {2}- name: tier\n.*\n.*\n$/, "") });
    const refused = await kehu("apply", "app");
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/customer \(app\/entities\/customer\.entity\.yaml\):\n {2}! .*tier.* \[destructive\]/);
    expect(refused.err).toContain("Refused: 1 destructive step (marked !) would drop data");
    expect((await storedEntities()).find((e) => e.name === "customer")?.fields.map((f) => f.name)).toEqual([
      "name",
      "tier",
    ]);

    const confirmed = await kehu("apply", "app", "--yes");
    expect(confirmed.code).toBe(0);
    expect(confirmed.out).toMatch(/Applied 1 step on 1 entity in/);
    expect((await storedEntities()).find((e) => e.name === "customer")?.fields.map((f) => f.name)).toEqual(["name"]);
  });

  it("reports data that does not fit a change against the file that asks for it", async () => {
    await db.knex("data.customer").insert([{ name: "A" }, { name: "A" }]);
    write({
      "app/entities/customer.entity.yaml": customer
        .replace("required: true", "required: true\n    unique: true")
        .replace(/ {2}- name: tier\n.*\n.*\n$/, ""),
    });
    const r = await kehu("apply", "app");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: /);
    expect(r.err).toMatch(/app\/entities\/customer\.entity\.yaml: \/fields\/0\/unique: /);
    expect(r.err).toContain("Nothing was applied.");
  });
  it("refuses to break a dependant unless --breaks names it, as the API's breaks", async () => {
    const deal = (fields: string) => `name: deal\nfields:\n  - {name: name, type: text}\n${fields}`;
    const formula = "  - {name: double, type: formula, expression: amount * 2, resultType: decimal}\n";
    write({ "dealapp/entities/deal.entity.yaml": deal(`  - {name: amount, type: decimal}\n${formula}`) });
    expect((await kehu("apply", "dealapp")).code).toBe(0);

    write({ "dealapp/entities/deal.entity.yaml": deal(formula) });
    const refused = await kehu("apply", "dealapp", "--yes");
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/✗ .*double.* \[blocking: formula:deal\.double\]/);
    expect(refused.err).toContain("--breaks formula:deal.double");
    expect((await storedEntities()).find((e) => e.name === "deal")?.fields.map((f) => f.name)).toEqual([
      "name",
      "amount",
      "double",
    ]);

    const broken = await kehu("apply", "dealapp", "--yes", "--breaks", "formula:deal.double");
    expect(broken.code).toBe(0);
    expect(broken.out).toMatch(/~ .*double.* \[broken: formula:deal\.double\]/);
    expect((await storedEntities()).find((e) => e.name === "deal")?.fields.map((f) => f.name)).toEqual(["name"]);
  });
});
