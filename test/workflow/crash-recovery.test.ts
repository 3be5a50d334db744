import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createEngine, createLogger, deployWorkflow, type Engine, queueStart } from "@kehu/engine";
import { createTestUser, openTestDatabase, testBackend } from "@kehu/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Several worker processes need a server database: PGlite is one process by design.
const onPostgres = testBackend === "postgres";
// The sizes (500 instances, 1,000 leads) by default: ~35 s on this machine; KEHU_WORKFLOW_SCALE=small shrinks.
const full = process.env.KEHU_WORKFLOW_SCALE !== "small";
// The worker runs in this very process id (node --import tsx, not the tsx CLI, which forks): SIGKILL hits the worker.
const engineDir = fileURLToPath(new URL("../../engine", import.meta.url));
const worker = fileURLToPath(new URL("./crash-worker.ts", import.meta.url));

let engine: Engine;
let url: string;
const children: ChildProcess[] = [];

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
  <process id="p" isExecutable="true">${body}</process></definitions>`;
const flow = (...ids: string[]) =>
  ids
    .slice(1)
    .map((to, i) => `<sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${to}"/>`)
    .join("");

function spawnWorker(extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", worker], {
    cwd: engineDir,
    env: { ...process.env, DATABASE_URL: url, ...extra },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return child;
}

async function until(what: string, check: () => Promise<boolean>, ms = 240_000): Promise<void> {
  const end = Date.now() + ms;
  let report = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    if (Date.now() > report && process.env.KEHU_TEST_PROGRESS) {
      report = Date.now() + 10_000;
      const n = (await engine.ctx.db.knex.raw("SELECT status, count(*)::int AS n FROM kehu.wf_instances GROUP BY 1"))
        .rows;
      process.stderr.write(`${what}: ${JSON.stringify(n)}\n`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

const scalar = async (sql: string, bindings: unknown[] = []) =>
  Number((await engine.ctx.db.knex.raw(sql, bindings as never)).rows[0].n);

beforeAll(async () => {
  if (!onPostgres) return;
  const db = await openTestDatabase();
  engine = await createEngine(db, createLogger("silent"));
  const conn = db.knex.client.config.connection as { connectionString: string };
  url = conn.connectionString;
  await db.knex.raw(
    "CREATE TABLE public.test_effects (id bigserial PRIMARY KEY, instance_id uuid NOT NULL, element_id text NOT NULL, pid int NOT NULL)",
  );
  engine.ctx.workflows!.library.add({
    name: "countEffect",
    version: 1,
    description: "test",
    inputSchema: { type: "object", properties: {} },
    run: async () => null,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)));
  await engine?.close();
});

describe.skipIf(!onPostgres)("workflow workers killed and run in parallel (PostgreSQL)", () => {
  it("loses nothing and repeats no effect when a worker is killed mid-service with timers pending", async () => {
    const body = `<startEvent id="s"/>
      <serviceTask id="first" camunda:type="external" camunda:topic="countEffect"/>
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <serviceTask id="second" camunda:type="external" camunda:topic="countEffect"/>
      <endEvent id="e"/>${flow("s", "first", "wait", "second", "e")}`;
    const { knex } = engine.ctx.db;
    const deps = { library: engine.ctx.workflows!.library, registry: engine.ctx.registry };
    await deployWorkflow(knex, deps, { key: "crashy", xml: xml(body) }, "test");
    const total = full ? 500 : 120;
    await knex.transaction(async (trx) => {
      for (let i = 0; i < total; i++) await queueStart(trx, { key: "crashy", variables: { n: i }, actor: "test" });
    });

    const victim = spawnWorker({ EFFECT_MS: "20", WORKER_LOOPS: "4" });
    await until(
      "some progress",
      async () => (await scalar("SELECT count(*) AS n FROM public.test_effects")) >= total / 5,
    );
    victim.kill("SIGKILL");
    await new Promise((r) => victim.once("exit", r));
    const pendingTimers = await scalar("SELECT count(*) AS n FROM kehu.wf_timers WHERE status = 'pending'");
    const queued = await scalar("SELECT count(*) AS n FROM kehu.outbox WHERE sent_at IS NULL");
    expect(pendingTimers).toBeGreaterThan(0);
    expect(queued).toBeGreaterThan(0);

    spawnWorker({ EFFECT_MS: "5" });
    spawnWorker({ EFFECT_MS: "5" });
    await until(
      "every instance completed",
      async () => (await scalar("SELECT count(*) AS n FROM kehu.wf_instances WHERE status = 'completed'")) === total,
    );

    expect(await scalar("SELECT count(*) AS n FROM kehu.wf_instances")).toBe(total);
    const effects = await knex.raw(
      "SELECT element_id, count(*) AS n, count(DISTINCT instance_id) AS d, max(c) AS most FROM (SELECT instance_id, element_id, count(*) AS c FROM public.test_effects GROUP BY 1, 2) x GROUP BY 1 ORDER BY 1",
    );
    expect(effects.rows.map((r: Record<string, string>) => [r.element_id, Number(r.d), Number(r.most)])).toEqual([
      ["first", total, 1],
      ["second", total, 1],
    ]);
    const pids = await scalar("SELECT count(DISTINCT pid) AS n FROM public.test_effects");
    expect(pids).toBe(3);
    expect(await scalar("SELECT count(*) AS n FROM kehu.wf_timers WHERE status = 'pending'")).toBe(0);
    expect(await scalar("SELECT count(*) AS n FROM kehu.outbox WHERE sent_at IS NULL")).toBe(0);
  }, 300_000);

  // The two workers of the first test are still running and share the work.
  it("deals leads round-robin across 5 owners from two worker processes: an equal share each (1,000 leads → 200 ± 1)", async () => {
    const { knex } = engine.ctx.db;
    for (let i = 1; i <= 5; i++) await createTestUser(engine.ctx, { login: `owner${i}` });
    const body = `<startEvent id="s"/>
      <serviceTask id="deal" camunda:type="external" camunda:topic="assignOwner">
        <extensionElements><camunda:inputOutput><camunda:inputParameter name="users">owner1,owner2,owner3,owner4,owner5</camunda:inputParameter></camunda:inputOutput></extensionElements>
      </serviceTask><endEvent id="e"/>${flow("s", "deal", "e")}`;
    const deps = { library: engine.ctx.workflows!.library, registry: engine.ctx.registry };
    await deployWorkflow(knex, deps, { key: "deal_leads", xml: xml(body) }, "test");
    const total = full ? 1000 : 250;
    await knex.transaction(async (trx) => {
      for (let i = 0; i < total; i++)
        await queueStart(trx, { key: "deal_leads", variables: { lead: i }, actor: "test" });
    });
    await until(
      "every lead dealt",
      async () =>
        (await scalar(
          "SELECT count(*) AS n FROM kehu.wf_instances WHERE key = 'deal_leads' AND status = 'completed'",
        )) === total,
    );
    const counts = await knex("kehu.wf_assignments")
      .groupBy("chosen")
      .select("chosen", knex.raw("count(*)::int AS n"))
      .orderBy("chosen");
    expect(counts.map((c) => c.chosen)).toEqual(["owner1", "owner2", "owner3", "owner4", "owner5"]);
    for (const c of counts) expect(Math.abs(c.n - total / 5)).toBeLessThanOrEqual(1);
  }, 300_000);
});
