import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../storage/database";
import { openTestDatabase } from "../testing/test-database";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

const fixture = fileURLToPath(new URL("../workflow/harness/fixtures/harness-app", import.meta.url));
let db: Database;
let cwd: string;
const kehu = async (...argv: string[]) => {
  const io = captureIo({ cwd, openDatabase: keepOpen(db) });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};
const write = (path: string, text: string) => writeFileSync(join(cwd, "app", path), text);
const matrices = () => db.knex("kehu.approval_matrices").orderBy("key").select("key", "revision");
const matrixFile = (upTo: number, role = "sales_manager") => `# deals up to ${upTo} need a sales manager
label: { en: Deal approval, zh: 交易审批 }
entity: deal
amountField: discount
tiers:
  - name: small
    upTo: ${upTo}
    levels:
      - { name: manager, approvers: { roles: [${role}] } }
`;

beforeAll(async () => {
  db = await openTestDatabase();
  cwd = mkdtempSync(join(tmpdir(), "kehu-apply-matrix-"));
  cpSync(fixture, join(cwd, "app"), { recursive: true });
  write(
    "entities/deal.entity.yaml",
    "name: deal\nlabel: { en: Deal, zh: 交易 }\nfields:\n  - { name: title, type: text }\n  - { name: discount, type: decimal, precision: 5, scale: 2 }\n",
  );
});
afterAll(async () => {
  await db?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe("kehu apply with approval matrices (workflows/<key>.matrix.yaml)", () => {
  it("names the file and line of a matrix that is not YAML, and the path of one that names what does not exist", async () => {
    write("workflows/deal_approval.matrix.yaml", "entity: deal\ntiers: [\n");
    const broken = await kehu("apply", "app");
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^app\/workflows\/deal_approval\.matrix\.yaml:3:1: /m);
    write("workflows/deal_approval.matrix.yaml", matrixFile(10, "boss"));
    const unknown = await kehu("apply", "app");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(
      'app/workflows/deal_approval.matrix.yaml: /tiers/0/levels/0/approvers/roles/0: no role "boss"\n',
    );
    expect(unknown.err).toContain("1 problem in approval matrix files; no matrix was saved.");
    write("workflows/deal_approval.matrix.yaml", `key: other\n${matrixFile(10)}`);
    const misnamed = await kehu("apply", "app");
    expect(misnamed.err).toContain(
      'app/workflows/deal_approval.matrix.yaml: /key: must be "deal_approval" (the file name) or left out',
    );
    expect(await matrices()).toEqual([]);
  });

  it("saves a matrix once: unchanged files make no new revision, a changed tier makes one", async () => {
    write("workflows/deal_approval.matrix.yaml", matrixFile(10));
    const first = await kehu("apply", "app");
    expect(first.err).toBe("");
    expect(first.out).toContain("Approval matrices: 1 created, 0 changed, 0 unchanged.\n");
    const again = await kehu("apply", "app");
    expect(again.out).toContain("Approval matrices: 0 created, 0 changed, 1 unchanged.\n");
    expect(await matrices()).toEqual([{ key: "deal_approval", revision: 1 }]);
    write("workflows/deal_approval.matrix.yaml", matrixFile(15));
    const changed = await kehu("apply", "app");
    expect(changed.out).toContain("Approval matrices: 0 created, 1 changed, 0 unchanged.\n");
    const [stored] = await db.knex("kehu.approval_matrices").select("revision", "definition");
    expect(stored.revision).toBe(2);
    expect(stored.definition.tiers[0].upTo).toBe(15);
  });
});
