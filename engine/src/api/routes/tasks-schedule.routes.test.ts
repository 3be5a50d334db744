import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml } from "../../workflow/test-bpmn";
import { VirtualClock } from "../../workflow/virtual-clock";

let engine: TestEngine;
let clock: VirtualClock;
let amy: string;
const DAY = 86_400_000;

const xml = bpmnXml(
  `<startEvent id="s"/><parallelGateway id="split"/>
   <userTask id="contract" name="Check contract" camunda:assignee="amy" camunda:dueDate="P3D" camunda:priority="80"/>
   <userTask id="invoice" name="Send invoice" camunda:assignee="amy" camunda:dueDate="\${deadline}"
     camunda:followUpDate="2030-03-02"/>
   <userTask id="archive" name="Archive" camunda:assignee="amy"/>
   <endEvent id="e1"/><endEvent id="e2"/><endEvent id="e3"/>
   <sequenceFlow id="f0" sourceRef="s" targetRef="split"/>
   <sequenceFlow id="f1" sourceRef="split" targetRef="contract"/><sequenceFlow id="f2" sourceRef="split" targetRef="invoice"/>
   <sequenceFlow id="f3" sourceRef="split" targetRef="archive"/>
   <sequenceFlow id="g1" sourceRef="contract" targetRef="e1"/><sequenceFlow id="g2" sourceRef="invoice" targetRef="e2"/>
   <sequenceFlow id="g3" sourceRef="archive" targetRef="e3"/>`,
);

type Task = { id: string; elementId: string; dueDate: string | null; overdue: boolean; priority: number };
const inbox = async (query = "") => {
  const res = await engine.http(`/api/tasks?view=mine${query}`, { as: amy });
  expect(res.status).toBe(200);
  return res.body.data as Array<Task & { followUpDate: string | null }>;
};
const deploy = (key: string, body: string) =>
  engine.http("/api/workflows/deployments", { method: "POST", body: { key, xml: bpmnXml(body) } });

beforeAll(async () => {
  engine = await startTestEngine();
  clock = new VirtualClock("2030-03-01T00:00:00Z");
  engine.ctx.workflows!.clock = clock;
  amy = (await createTestUser(engine.ctx, { login: "amy" })).token;
  expect(
    (await engine.http("/api/workflows/deployments", { method: "POST", body: { key: "closing", xml } })).status,
  ).toBe(201);
  const started = await engine.http("/api/workflows/closing/instances", {
    method: "POST",
    body: { variables: { deadline: "2030-03-02T12:00:00Z" } },
  });
  expect(started.status).toBe(201);
});
afterAll(() => engine?.close());

describe("camunda:dueDate, camunda:followUpDate and camunda:priority on user tasks", () => {
  it("are stored on the task and returned by the inbox: a duration counts from the task's creation, 50 by default", async () => {
    const byElement = Object.fromEntries((await inbox()).map((t) => [t.elementId, t]));
    expect(byElement.contract).toMatchObject({ dueDate: "2030-03-04T00:00:00.000Z", priority: 80, overdue: false });
    expect(byElement.invoice).toMatchObject({
      dueDate: "2030-03-02T12:00:00.000Z",
      followUpDate: "2030-03-02T23:59:59.999Z",
      priority: 50,
      overdue: false,
    });
    expect(byElement.archive).toMatchObject({ dueDate: null, followUpDate: null, priority: 50, overdue: false });
  });

  it("sorts the inbox by due date (none last) or by priority, and refuses an unknown sort", async () => {
    expect((await inbox("&sort=due")).map((t) => t.elementId)).toEqual(["invoice", "contract", "archive"]);
    expect((await inbox("&sort=priority"))[0].elementId).toBe("contract");
    const bad = await engine.http("/api/tasks?sort=soon", { as: amy });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: "/sort", message: "must be one of created, due, priority" }]);
  });

  it("flags a task overdue once the workflow clock passes its due date", async () => {
    clock.advance(2 * DAY);
    const overdue = (await inbox("&sort=due")).map((t) => [t.elementId, t.overdue]);
    expect(overdue).toEqual([
      ["invoice", true],
      ["contract", false],
      ["archive", false],
    ]);
    const invoice = (await inbox()).find((t) => t.elementId === "invoice")!;
    expect((await engine.http(`/api/tasks/${invoice.id}`, { as: amy })).body).toMatchObject({ overdue: true });
  });

  it("refuses at deploy a due date or priority that cannot be read, naming the task", async () => {
    const refused = await deploy(
      "bad_dates",
      `<startEvent id="s"/><userTask id="review" camunda:dueDate="next week" camunda:followUpDate="P1M"
         camunda:priority="high"/><endEvent id="e"/>
       <sequenceFlow id="a" sourceRef="s" targetRef="review"/><sequenceFlow id="b" sourceRef="review" targetRef="e"/>`,
    );
    expect(refused.status).toBe(422);
    const messages = refused.body.errors.map((e: { message: string }) => e.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^review: dueDate "next week" is not an ISO date \(2026-12-24\)/);
    expect(messages[1]).toMatch(/^review: followUpDate "P1M" is not an ISO date/);
    expect(messages[2]).toBe(`review: priority "high" is not a whole number or an expression \${...}`);
    const badExpression = await deploy(
      "bad_due_expression",
      `<startEvent id="s"/><userTask id="review" camunda:dueDate="\${execution.getVariable('d')}"/><endEvent id="e"/>
       <sequenceFlow id="a" sourceRef="s" targetRef="review"/><sequenceFlow id="b" sourceRef="review" targetRef="e"/>`,
    );
    expect(badExpression.body.errors[0].message).toMatch(/^review: dueDate: at position 1: method calls/);
  });
});
