import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "../workflow/deployments";
import { bpmnXml, chain, inputs } from "../workflow/test-bpmn";
import { JobQueue, SYNC_QUEUE, TIMER_QUEUE } from "./job-queue";

let engine: TestEngine;
let queue: JobQueue;

const status = async (id: string) => (await engine.ctx.db.knex("kehu.wf_instances").where({ id }).first()).status;
async function until(check: () => Promise<boolean>, ms = 25_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  engine = await startTestEngine();
  const runtime = engine.ctx.workflows!;
  const xml = bpmnXml(
    `<startEvent id="s"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent>
     <serviceTask id="tell" camunda:type="external" camunda:topic="notify">${inputs({ to: "amy", title: "woke" })}</serviceTask>
     <endEvent id="e"/>${chain("s", "wait", "tell", "e")}`,
  );
  await deployWorkflow(
    engine.ctx.db.knex,
    { library: runtime.library, registry: engine.ctx.registry },
    { key: "nap", xml },
    "test",
  );
  queue = new JobQueue(engine.ctx, runtime, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await queue?.stop();
  await engine?.close();
});

describe("the pg-boss job queue", () => {
  it("fires a timer whose job was never sent (set while no queue ran) when the queue starts after it is due", async () => {
    const { instanceId } = await engine.ctx.workflows!.start("nap", {}, { actor: "amy" });
    await new Promise((r) => setTimeout(r, 2100));
    expect(await status(instanceId)).toBe("waiting");
    await queue.start();
    expect(queue.running).toBe(true);
    expect(await status(instanceId)).toBe("completed");
  });

  it("wakes a timer through its pg-boss job, sent in the step's transaction", async () => {
    const { instanceId } = await engine.ctx.workflows!.start("nap", {}, { actor: "amy" });
    const timer = await engine.ctx.db.knex("kehu.wf_timers").where({ instance_id: instanceId }).first();
    const job = await engine.ctx.db
      .knex("pgboss.job")
      .where({ name: TIMER_QUEUE })
      .whereRaw("data->>'timerId' = ?", [timer.id])
      .first();
    expect(job).toBeDefined();
    expect(Math.abs(new Date(job.start_after).getTime() - new Date(timer.due_at).getTime())).toBeLessThan(1000);
    await until(async () => (await status(instanceId)) === "completed");
    const titles = await engine.ctx.db.knex("kehu.wf_notifications").where({ instance_id: instanceId }).pluck("title");
    expect(titles).toEqual(["woke"]);
  });

  it("registers the cron schedule of a sync connection, and drops it when the schedule goes", async () => {
    const connection = {
      name: "erp",
      connector: "sap-b1",
      schedule: "*/15 * * * *",
      config: { baseUrl: "http://erp.test/b1s/v2", companyDb: "SBODEMO", userName: "manager", password: "s3cret" },
    };
    const created = await engine.http("/api/sync/connections", { method: "POST", body: connection });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await queue.syncSchedules();
    const schedules = () => engine.ctx.db.knex("pgboss.schedule").where({ name: SYNC_QUEUE }).select("key", "cron");
    expect(await schedules()).toEqual([{ key: "sync/erp", cron: "*/15 * * * *" }]);
    await engine.http("/api/sync/connections/erp", { method: "DELETE" });
    await queue.syncSchedules();
    expect(await schedules()).toEqual([]);
  });

  it("skips a stored sync schedule pg-boss cannot read and still registers the others", async () => {
    const config = { baseUrl: "http://erp.test/b1s/v2", companyDb: "SBODEMO", userName: "manager", password: "s3cret" };
    for (const name of ["broken", "hourly"]) {
      const body = { name, connector: "sap-b1", schedule: "0 * * * *", config };
      expect((await engine.http("/api/sync/connections", { method: "POST", body })).status).toBe(201);
    }
    // Saved before schedules were checked: the API refuses it now.
    await engine.ctx.db.knex("kehu.sync_connections").where({ name: "broken" }).update({ schedule: "every 5 minutes" });
    await queue.syncSchedules();
    const schedules = await engine.ctx.db.knex("pgboss.schedule").where({ name: SYNC_QUEUE }).pluck("key");
    expect(schedules).toEqual(["sync/hourly"]);
    for (const name of ["broken", "hourly"]) await engine.http(`/api/sync/connections/${name}`, { method: "DELETE" });
    await queue.syncSchedules();
  });

  it("stops its workers and connections", async () => {
    await queue.stop();
    expect(queue.running).toBe(false);
    const { instanceId } = await engine.ctx.workflows!.start("nap", {}, { actor: "amy" });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await status(instanceId)).toBe("waiting");
  });
});
