import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRole, createTestUser, startTestEngine, type TestEngine } from "../testing";

let engine: TestEngine;
const tokens: Record<string, string> = {};

/** A file as Camunda Modeler saves it: bpmn: prefix, camunda:* attributes, JUEL conditions, a diagram. */
const modelerXml = (condition: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn"
  exporter="Camunda Modeler" exporterVersion="5.17.0">
  <bpmn:process id="Process_Contract" name="Contract review" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_Review" name="Review" camunda:assignee="ben">
      <bpmn:extensionElements>
        <camunda:formData><camunda:formField id="status" label="Status" type="string" /></camunda:formData>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="Gateway_Big" name="Large and approved?">
      <bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_Director</bpmn:outgoing><bpmn:outgoing>Flow_Done</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="Task_Director" name="Director sign-off" camunda:assignee="amy">
      <bpmn:incoming>Flow_Director</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End_Signed"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="End_Auto"><bpmn:incoming>Flow_Done</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Review" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Review" targetRef="Gateway_Big" />
    <bpmn:sequenceFlow id="Flow_Director" sourceRef="Gateway_Big" targetRef="Task_Director">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Done" sourceRef="Gateway_Big" targetRef="End_Auto">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${!(amount gt 50000) || status ne "approved" || empty approver}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Director" targetRef="End_Signed" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_Contract">
      <bpmndi:BPMNShape id="_BPMNShape_StartEvent_2" bpmnElement="StartEvent_1"><dc:Bounds x="179" y="99" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="215" y="117" /><di:waypoint x="270" y="117" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const JUEL_CONDITION = `\${amount &gt; 50000 &amp;&amp; status == "approved" &amp;&amp; not empty approver}`;

const as = (login: string) => ({ as: tokens[login] });
const deploy = (key: string, xml: string) =>
  engine.http("/api/workflows/deployments", { method: "POST", body: { key, xml } });

async function reviewed(variables: Record<string, unknown>, review: Record<string, unknown>) {
  const started = await engine.http("/api/workflows/contract_review/instances", {
    method: "POST",
    body: { variables },
    ...as("ben"),
  });
  expect(started.body).toMatchObject({ status: "waiting", active: ["Task_Review"] });
  const tasks = (await engine.http("/api/tasks?view=mine", as("ben"))).body.data as Array<{ id: string }>;
  expect(tasks).toHaveLength(1);
  const done = await engine.http(`/api/tasks/${tasks[0].id}/complete`, { method: "POST", body: review, ...as("ben") });
  expect(done.status).toBe(200);
  return (await engine.http(`/api/workflows/instances/${started.body.id}`)).body;
}

beforeAll(async () => {
  engine = await startTestEngine();
  const role = await createTestRole(engine.ctx, { name: "contracts" });
  for (const login of ["amy", "ben"])
    tokens[login] = (await createTestUser(engine.ctx, { login, roleIds: [role.id] })).token;
});
afterAll(() => engine?.close());

describe("a Camunda Modeler file with JUEL conditions", () => {
  it("deploys, and routes each instance down the branch its JUEL condition picks", async () => {
    expect((await deploy("contract_review", modelerXml(JUEL_CONDITION))).status).toBe(201);

    const large = await reviewed({ amount: 60000, approver: "amy" }, { status: "approved" });
    expect(large).toMatchObject({ status: "waiting", active: ["Task_Director"] });
    expect((await engine.http("/api/tasks?view=mine", as("amy"))).body.data).toMatchObject([
      { elementId: "Task_Director" },
    ]);

    const rejected = await reviewed({ amount: 60000, approver: "amy" }, { status: "rejected" });
    expect(rejected.status).toBe("completed");
    const small = await reviewed({ amount: 100, approver: "amy" }, { status: "approved" });
    expect(small.status).toBe("completed");
    const noApprover = await reviewed({ amount: 60000, approver: "" }, { status: "approved" });
    expect(noApprover.status).toBe("completed");
  });

  it("refuses at deploy a JUEL method call, naming the element and the construct", async () => {
    const refused = await deploy("contract_bad", modelerXml(`\${execution.getVariable("amount") &gt; 50000}`));
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toMatch(/application\/problem\+json/);
    const messages = refused.body.errors.map((e: { message: string }) => e.message).join("\n");
    expect(messages).toMatch(
      /Flow_Director: condition: at position 1: method calls are not supported: execution\.getVariable\(\.\.\.\) .*\$\{amount\}/,
    );
  });

  it("refuses at deploy JUEL's conditional operator at its position as written", async () => {
    const refused = await deploy("contract_ternary", modelerXml(`\${amount &gt; 5 ? true : false}`));
    expect(refused.body.errors.map((e: { message: string }) => e.message)).toEqual([
      "Flow_Director: condition: at position 12: the conditional a ? b : c is not supported; write if(a, b, c)",
    ]);
  });
});
