// A workflow worker process for the crash and multi-process tests: opens DATABASE_URL, adds a counting service, starts
// the job queue (which runs queued starts and due timers at once), and keeps draining queued starts with N loops.
import { createEngine, createLogger, openDatabase, type WorkflowService } from "@kehu/engine";

const url = process.env.DATABASE_URL!;
const loops = Number(process.env.WORKER_LOOPS ?? 4);
const db = await openDatabase({ backend: "postgres", url, poolSize: loops + 4 });
const engine = await createEngine(db, createLogger("silent"));
const runtime = engine.ctx.workflows!;

const countEffect: WorkflowService = {
  name: "countEffect",
  version: 1,
  description: "Counts one effect per call in test_effects, then takes a while (so a kill lands mid-service).",
  inputSchema: { type: "object", properties: { label: { type: "string" } } },
  async run({ trx, instance, elementId }) {
    await trx("public.test_effects").insert({ instance_id: instance.id, element_id: elementId, pid: process.pid });
    await new Promise((r) => setTimeout(r, Number(process.env.EFFECT_MS ?? 10)));
    return { done: true };
  },
};
runtime.library.add(countEffect);

const { JobQueue } = await import("@kehu/engine");
const queue = new JobQueue(engine.ctx, runtime, { pollingIntervalSeconds: 0.5 });
engine.ctx.jobs = queue;

let stopping = false;
async function drainLoop(): Promise<void> {
  while (!stopping) {
    const n = (await runtime.drainStarts().catch(() => undefined))?.ran ?? 0;
    if (!n) await new Promise((r) => setTimeout(r, 200));
  }
}

const loopsDone = Promise.all(Array.from({ length: loops }, () => drainLoop()));
await queue.start();
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  stopping = true;
  await loopsDone;
  await engine.close();
  process.exit(0);
});
