// bench/workflow: persisted BPMN instances (row lock, state, tasks, history in PostgreSQL) against bare in-memory
// bpmn-engine on the same XML, and the fire latency of durable timers through pg-boss. One run, one machine.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @kehu/bench exec tsx workflow.ts [--quick]
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createEngine, createLogger, deployWorkflow, JobQueue, openDatabase, queueStart } from "@kehu/engine";
import knexFactory from "knex";
import { bare, parsedOnce, timerXml, xml } from "./bare-bpmn";
import { fmt, percentile } from "./bench-kit";
import { cpuMsOf, startDatabaseCpu } from "./cpu-time";

const base = process.env.DATABASE_URL;
if (!base) {
  console.error("bench/workflow runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)");
  process.exit(2);
}
const quick = process.argv.includes("--quick");
const N = quick ? 100 : 400;
const TIMERS = quick ? 20 : 60;
const N2 = quick ? 300 : 1000;

// The ceiling of the two-worker line: bare in-memory bpmn-engine (XML parsed once, no database) in two processes at
// once, N2 instances shared, timed from the go signal to the slower process's last instance.
async function bareTwoProcesses(): Promise<{ rate: number; cpuMs: number }> {
  const worker = fileURLToPath(new URL("./bare-bpmn-worker.ts", import.meta.url));
  const children = [0, 1].map(() =>
    spawn(process.execPath, ["--import", "tsx", worker], {
      env: { ...process.env, BARE_INSTANCES: String(N2 / 2) },
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  const lineOf = (c: ChildProcess) =>
    new Promise<string>((resolve, reject) => {
      c.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
      c.once("exit", (code) => reject(new Error(`a bare bpmn-engine worker exited (${code}) early`)));
    });
  await Promise.all(children.map(lineOf));
  const seconds = children.map(lineOf);
  for (const c of children) c.stdin?.write("go\n");
  const lines = (await Promise.all(seconds)).map((line) => line.split(" ").map(Number));
  const slowest = Math.max(...lines.map(([s]) => s));
  return { rate: N2 / slowest, cpuMs: lines.reduce((sum, [, cpu]) => sum + cpu, 0) };
}

// Two child processes run the persisted runtime on the same database; N2 starts are queued at once (outbox) and both
// share the starts and the task completions. Timed from the commit of the queued starts to the last completion.
async function twoWorkers(dbUrl: string): Promise<{ rate: number; workersCpuMs: number; postgresCpuMs: number }> {
  const worker = fileURLToPath(new URL("./workflow-worker.ts", import.meta.url));
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ["--import", "tsx", worker], {
        env: { ...process.env, DATABASE_URL: dbUrl },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
    }
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            c.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
            c.once("exit", (code) => reject(new Error(`a bench worker exited (${code}) before it was ready`)));
          }),
      ),
    );
    await db.knex.transaction(async (trx) => {
      for (let i = 0; i < N2; i++) await queueStart(trx, { key: "bench2", variables: { i }, actor: "amy" });
    });
    const postgresSince = await startDatabaseCpu(admin, dbName);
    const workersBefore = cpuMsOf(children.map((c) => c.pid!));
    const t0 = performance.now();
    const end = Date.now() + 300_000;
    for (;;) {
      const done = await db.knex("kehu.wf_instances").where({ key: "bench2", status: "completed" }).count({ n: "*" });
      if (Number(done[0].n) >= N2) break;
      if (Date.now() > end) throw new Error(`only ${done[0].n} of ${N2} instances completed with two workers`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const rate = N2 / ((performance.now() - t0) / 1000);
    const workersCpuMs = cpuMsOf(children.map((c) => c.pid!)) - workersBefore;
    const postgresCpuMs = await postgresSince();
    return { rate, workersCpuMs, postgresCpuMs };
  } finally {
    await Promise.all(
      children.map((c) => {
        if (c.exitCode !== null) return undefined;
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        return exited;
      }),
    );
  }
}

const dbName = `kehu_bench_wf_${process.pid}`;
const admin = knexFactory({ client: "pg", connection: base, pool: { min: 0, max: 1 } });
await admin.raw(`CREATE DATABASE ${dbName}`);
const url = new URL(base);
url.pathname = `/${dbName}`;
const db = await openDatabase({ backend: "postgres", url: url.toString() });
const engine = await createEngine(db, createLogger("silent"));
const runtime = engine.ctx.workflows!;
try {
  const deps = { library: runtime.library, registry: engine.ctx.registry };
  await deployWorkflow(db.knex, deps, { key: "bench", xml }, "bench");
  await deployWorkflow(db.knex, deps, { key: "bench2", xml }, "bench");
  await deployWorkflow(db.knex, deps, { key: "bench_timer", xml: timerXml }, "bench");

  const bareParsingRate = await bare(N);
  const bareRate = await bare(N, await parsedOnce());
  const bareTwo = await bareTwoProcesses();
  const bareTwoRate = bareTwo.rate;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    // The start reports the user task it opened (as bare bpmn-engine's execution does): no read of the inbox.
    const { instanceId, tasks } = await runtime.start("bench", { i }, { actor: "amy" });
    const task = tasks?.find((t) => t.elementId === "approve");
    if (!task) throw new Error(`instance ${i} did not open its approve task`);
    await runtime.signal(
      instanceId,
      { kind: "task", executionId: task.executionId, output: { outcome: "approve" } },
      "amy",
    );
  }
  const persistedRate = N / ((performance.now() - t0) / 1000);
  const completed = Number(
    (await db.knex("kehu.wf_instances").where({ key: "bench", status: "completed" }).count({ n: "*" }))[0].n,
  );
  if (completed !== N) throw new Error(`only ${completed} of ${N} instances completed`);

  const two = await twoWorkers(url.toString());
  const twoWorkerRate = two.rate;

  const queue = new JobQueue(engine.ctx, runtime, { pollingIntervalSeconds: 0.5 });
  engine.ctx.jobs = queue;
  await queue.start();
  for (let i = 0; i < TIMERS; i++) {
    await runtime.start("bench_timer", { i }, { actor: "amy" });
    await new Promise((r) => setTimeout(r, 50));
  }
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const left = await db.knex("kehu.wf_timers").where({ status: "pending" }).count({ n: "*" });
    if (Number(left[0].n) === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const fired = await db.knex("kehu.wf_timers").where({ status: "fired" }).select("due_at", "fired_at");
  const lateness = fired.map((t) => new Date(t.fired_at).getTime() - new Date(t.due_at).getTime());

  console.log(`workflow bench on PostgreSQL, ${N} instances each way, start → service → user task → complete → end`);
  console.log(
    `  bare bpmn-engine (in memory, state JSON round trip), XML parsed per engine: ${fmt(bareParsingRate, 1)} instances/s`,
  );
  console.log(
    `  bare bpmn-engine (in memory, state JSON round trip), XML parsed once (as Kehu): ${fmt(bareRate, 1)} instances/s`,
  );
  console.log(`  Kehu persisted (row lock, state, task, history, effect rows): ${fmt(persistedRate, 1)} instances/s`);
  console.log(`  ratio persisted / bare parsed once: ${fmt(persistedRate / bareRate)} (aim >= 0.6)`);
  console.log(
    `  two worker processes (each 2 loops: queued starts + task completions, SKIP LOCKED), ${N2} instances: ${fmt(twoWorkerRate, 1)} instances/s (aim >= 200)`,
  );
  console.log(
    `  ceiling: bare bpmn-engine in two processes (XML parsed once, no database), ${N2} instances: ${fmt(bareTwoRate, 1)} instances/s; two workers reach ${fmt(twoWorkerRate / bareTwoRate)} of it`,
  );
  // Where two workers' time goes: CPU per instance of each part, against what 200 instances/s allows on the cores.
  const cores = availableParallelism();
  console.log(
    `  CPU per instance, two workers: workers ${fmt(two.workersCpuMs / N2)} + PostgreSQL ${fmt(two.postgresCpuMs / N2)} CPU-ms; bare two processes: ${fmt(bareTwo.cpuMs / N2)} CPU-ms; 200 instances/s on ${cores} cores allows ${fmt((cores * 1000) / 200)} CPU-ms`,
  );
  console.log(
    `  durable timer fire latency (pg-boss, polling 0.5 s), ${fired.length}/${TIMERS} fired: p50 ${fmt(percentile(lateness, 50), 0)} ms, p95 ${fmt(percentile(lateness, 95), 0)} ms`,
  );
} finally {
  await engine.close();
  await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.destroy();
}
