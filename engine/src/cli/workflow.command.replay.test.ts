import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../create-engine";
import { createLogger } from "../logger";
import { RecordStore } from "../records/record-store";
import { referrersOf } from "../records/referrers";
import { Access } from "../security/access";
import { recordHooksOf } from "../security/record-hooks";
import { principalColumns, principalOf } from "../security/user-principal";
import type { Database } from "../storage/database";
import { applyTemplate, createTestUser } from "../testing";
import { openTestDatabase } from "../testing/test-database";
import { TaskActions, taskActorOf } from "../workflow/task-actions";
import { captureIo, keepOpen } from "./capture-io";
import { main } from "./main";

const fixture = fileURLToPath(new URL("../workflow/harness/fixtures/harness-app", import.meta.url));
let db: Database;
let engine: Engine;
let cwd: string;
const kehu = async (...argv: string[]) => {
  const io = captureIo({ cwd, openDatabase: keepOpen(db), env: { DATABASE_URL: process.env.DATABASE_URL } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};

/** A lead created by sales01 through the record store (its trigger starts lead_followup), its call completed. */
async function realLead(name: string, outcome: string): Promise<string> {
  const { knex, registry } = { knex: db.knex, registry: engine.ctx.registry };
  const row = await knex("kehu.users as u")
    .where("u.login", "sales01")
    .first(...principalColumns(knex));
  const principal = principalOf(row, "api");
  const lead = registry.require("lead");
  const access = await Access.load(knex, principal, (n) => registry.get(n));
  const store = new RecordStore(knex, lead, referrersOf(registry.list(), "lead"), recordHooksOf(access, lead));
  const created = await store.create({ name, rep: "sales01", status: "new" }, "sales01");
  expect((await engine.ctx.workflows?.drainStarts())?.failed ?? 0).toBe(0);
  const instance = await knex("kehu.wf_instances").where({ record_id: created.id }).first("id");
  const task = await knex("kehu.wf_tasks").where({ instance_id: instance.id, status: "open" }).first("id");
  await new TaskActions(engine.ctx.workflows!).complete(task.id, { outcome }, await taskActorOf(knex, principal));
  return instance.id;
}

beforeAll(async () => {
  db = await openTestDatabase();
  engine = await createEngine({ ...db, close: async () => {} }, createLogger("silent"));
  await applyTemplate(engine.ctx, fixture);
  const sales = await engine.ctx.db.knex("kehu.roles").where({ name: "sales" }).first("id");
  await createTestUser(engine.ctx, { login: "sales01", roleIds: [sales.id] });
  cwd = mkdtempSync(join(tmpdir(), "kehu-wf-replay-"));
  cpSync(fixture, join(cwd, "app"), { recursive: true });
});
afterAll(async () => {
  await engine?.close();
  await db?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe("kehu workflow test --replay", () => {
  it("replays a changed version against the last real instances and reports where the path differs", async () => {
    const won = await realLead("ACME", "won");
    const lost = await realLead("Beta", "lost");
    const bpmn = join(cwd, "app/workflows/lead_followup.bpmn");
    writeFileSync(bpmn, readFileSync(bpmn, "utf8").replace("outcome = 'won'", "outcome = 'won' and false"));
    const r = await kehu("workflow", "test", "app", "--replay", "lead_followup", "--last", "5");
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`= ${lost} v1: same path (start → call → decide → mark_lost → lost)`);
    expect(r.out).toContain(`≠ ${won} v1: differs at element 4: was qualify, now mark_lost`);
    expect(r.out).toContain("1 same, 1 different.");
  }, 180_000);
});
