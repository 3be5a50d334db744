// A workflow worker process for bench/workflow's two-process line: opens DATABASE_URL and, with WORKER_LOOPS loops,
// runs the starts queued in the outbox (SKIP LOCKED, shared with the other process) and completes open "approve"
// tasks (SKIP LOCKED), each a persisted step under the instance's row lock, until SIGTERM.
import { createEngine, createLogger, openDatabase } from "@kehu/engine";

const url = process.env.DATABASE_URL!;
const loops = Number(process.env.WORKER_LOOPS ?? 2);
const db = await openDatabase({ backend: "postgres", url, poolSize: loops + 2 });
const engine = await createEngine(db, createLogger("silent"));
const runtime = engine.ctx.workflows!;

async function completeOne(): Promise<boolean> {
  return db.knex.transaction(async (trx) => {
    const task = await trx("kehu.wf_tasks")
      .where({ status: "open", element_id: "approve" })
      .forUpdate()
      .skipLocked()
      .first("instance_id", "execution_id");
    if (!task) return false;
    const output = { outcome: "approve" };
    await runtime.signal(task.instance_id, { kind: "task", executionId: task.execution_id, output }, "amy", trx);
    return true;
  });
}

let stopping = false;
async function loop(): Promise<void> {
  while (!stopping) {
    const started = (await runtime.drainStarts()).ran;
    let completed = 0;
    while (!stopping && (await completeOne())) completed++;
    if (!started && !completed) await new Promise((r) => setTimeout(r, 5));
  }
}

const running = Promise.all(Array.from({ length: loops }, () => loop()));
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  stopping = true;
  await running;
  await engine.close();
  process.exit(0);
});
