import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../testing";
import { deployWorkflow } from "./deployments";
import { drainStarts, type QueuedStart, queueStart, queueStarts } from "./start-outbox";
import { bpmnXml, chain } from "./test-bpmn";

let engine: TestEngine;

const knex = () => engine.ctx.db.knex;
const deps = () => engine.ctx.workflows!.deps;
const unsent = async () =>
  Number((await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").count({ n: "*" }))[0].n);
const started = async (key: string) =>
  (await knex()("kehu.wf_instances").where({ key }).select("inputs")).map((r) => (r.inputs as { n: number }).n);

beforeAll(async () => {
  engine = await startTestEngine();
  await deployWorkflow(
    knex(),
    { library: engine.ctx.workflows!.library, registry: engine.ctx.registry },
    { key: "queued", xml: bpmnXml(`<startEvent id="s"/><userTask id="t"/><endEvent id="e"/>${chain("s", "t", "e")}`) },
    "test",
  );
});
afterAll(() => engine?.close());

describe("queued starts", () => {
  it("runs every queued start exactly once, in batches, and leaves none unsent", async () => {
    const starts: QueuedStart[] = Array.from({ length: 23 }, (_, n) => ({
      key: "queued",
      variables: { n },
      actor: "amy",
    }));
    await knex().transaction((trx) => queueStarts(trx, starts));
    expect(await drainStarts(knex(), deps(), 15, 4)).toBe(15);
    expect(await unsent()).toBe(8);
    expect(await drainStarts(knex(), deps(), 100, 4)).toBe(8);
    expect(await drainStarts(knex(), deps(), 100, 4)).toBe(0);
    expect((await started("queued")).sort((a, b) => a - b)).toEqual(starts.map((s) => s.variables.n));
    const tasks = await knex()("kehu.wf_tasks").where({ element_id: "t", status: "open" }).count({ n: "*" });
    expect(Number(tasks[0].n)).toBe(23);
  });

  it("undoes a start that fails alone: its batch's others run, its row stays queued, the error is reported", async () => {
    await knex().transaction(async (trx) => {
      await queueStart(trx, { key: "queued", variables: { n: 100 }, actor: "amy" });
      await queueStart(trx, { key: "never_deployed", variables: { n: 101 }, actor: "amy" });
      await queueStart(trx, { key: "queued", variables: { n: 102 }, actor: "amy" });
    });
    await expect(drainStarts(knex(), deps(), 100, 10)).rejects.toThrow(/never_deployed/);
    expect((await started("queued")).filter((n) => n >= 100).sort()).toEqual([100, 102]);
    expect(await started("never_deployed")).toEqual([]);
    const left = await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").pluck("payload");
    expect(left.map((p) => p.key)).toEqual(["never_deployed"]);
    // Queued again after a fix would run; until then every drain reports it and runs the others queued behind it.
    await knex().transaction((trx) => queueStart(trx, { key: "queued", variables: { n: 103 }, actor: "amy" }));
    await expect(drainStarts(knex(), deps(), 100, 10)).rejects.toThrow(/never_deployed/);
    expect((await started("queued")).filter((n) => n >= 100).sort()).toEqual([100, 102, 103]);
    await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").delete();
  });

  it("runs the starts queued behind a failing one in the same drain, batch after batch", async () => {
    await knex().transaction(async (trx) => {
      await queueStart(trx, { key: "never_deployed", variables: { n: 200 }, actor: "amy" });
      await queueStarts(
        trx,
        [201, 202, 203, 204, 205].map((n) => ({ key: "queued", variables: { n }, actor: "amy" })),
      );
    });
    await expect(drainStarts(knex(), deps(), 100, 2)).rejects.toThrow(/never_deployed/);
    expect((await started("queued")).filter((n) => n >= 200).sort()).toEqual([201, 202, 203, 204, 205]);
    expect(await unsent()).toBe(1);
    await knex()("kehu.outbox").where({ kind: "workflow.start" }).whereNull("sent_at").delete();
  });
});
