import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
const deployments = () => db.knex("kehu.wf_deployments").orderBy(["key", "version"]).select("key", "version");
const triggers = () => db.knex("kehu.wf_triggers").orderBy("created_at").select("key", "kind", "condition", "cron");
const write = (path: string, text: string) => writeFileSync(join(cwd, "app", path), text);
const read = (path: string) => readFileSync(join(cwd, "app", path), "utf8");

beforeAll(async () => {
  db = await openTestDatabase();
  cwd = mkdtempSync(join(tmpdir(), "kehu-apply-wf-"));
  cpSync(fixture, join(cwd, "app"), { recursive: true });
});
afterAll(async () => {
  await db?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe("kehu apply with workflows", () => {
  it("plans the workflows on --dry-run and deploys nothing", async () => {
    const r = await kehu("apply", "app", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Workflows: 1 to deploy, 0 unchanged; triggers: 1 to add, 0 to remove.\n");
    expect(r.out).toContain("  lead_followup v1 to deploy\n");
    expect(r.out).toContain("  + trigger of lead_followup: record lead on create when status = 'new'\n");
    expect(await deployments()).toEqual([]);
    expect(await triggers()).toEqual([]);
  });

  it("deploys each workflow with its triggers, and applying again changes nothing", async () => {
    const r = await kehu("apply", "app");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "Workflows: 1 deployed, 0 unchanged; triggers: 1 added, 0 removed.\n  lead_followup v1 deployed\n",
    );
    const again = await kehu("apply", "app");
    expect(again.code).toBe(0);
    expect(again.out).toContain("Workflows: 0 deployed, 1 unchanged; triggers: 0 added, 0 removed.\n");
    expect(await deployments()).toEqual([{ key: "lead_followup", version: 1 }]);
    expect(await triggers()).toEqual([
      { key: "lead_followup", kind: "record", condition: "status = 'new'", cron: null },
    ]);
  });

  it("makes the triggers exactly the declared ones and deploys changed XML as a new version", async () => {
    write(
      "workflows/lead_followup.workflow.yaml",
      `name: Lead follow-up\nentity: lead\ntriggers:\n  - { kind: schedule, cron: "0 8 * * 1", variables: { manager: mgr01 } }\n`,
    );
    const r = await kehu("apply", "app");
    expect(r.out).toContain("triggers: 1 added, 1 removed.");
    expect(r.out).toContain("  + trigger of lead_followup: schedule 0 8 * * 1\n");
    expect(r.out).toContain("  - trigger of lead_followup: record lead on create when status = 'new'\n");
    expect(await triggers()).toEqual([{ key: "lead_followup", kind: "schedule", condition: null, cron: "0 8 * * 1" }]);
    write(
      "workflows/lead_followup.bpmn",
      read("workflows/lead_followup.bpmn").replace("Call the lead", "Call the lead today"),
    );
    expect((await kehu("apply", "app")).out).toContain("  lead_followup v2 deployed\n");
    expect(await deployments()).toEqual([
      { key: "lead_followup", version: 1 },
      { key: "lead_followup", version: 2 },
    ]);
  });

  it("names the file of a refused BPMN or trigger and deploys none of the package's workflows", async () => {
    write(
      "workflows/fax.bpmn",
      read("workflows/lead_followup.bpmn").replace('camunda:topic="notify"', 'camunda:topic="sendFax"'),
    );
    write("workflows/lead_followup.bpmn", read("workflows/lead_followup.bpmn").replace("Call the lead today", "Call"));
    write("workflows/fax.workflow.yaml", "triggers:\n  - { kind: schedule, cron: never }\n");
    const early = await kehu("apply", "app");
    expect(early.code).toBe(1);
    expect(early.err).toContain("app/workflows/fax.workflow.yaml: /triggers/0/cron: cron must be a cron expression");
    write("workflows/fax.workflow.yaml", "triggers: []\n");
    const refused = await kehu("apply", "app");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('app/workflows/fax.bpmn: /elements/escalate: escalate: unknown service "sendFax"');
    expect(refused.err).toContain("no workflow was deployed.");
    expect((await deployments()).map((d) => d.version)).toEqual([1, 2]);
  });
});
