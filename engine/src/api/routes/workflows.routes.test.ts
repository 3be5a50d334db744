import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEntities, startTestEngine, type TestEngine } from "../../testing";
import { bpmnXml, chain, inputs } from "../../workflow/test-bpmn";

let engine: TestEngine;

const lead = {
  name: "lead",
  label: { en: "Lead", zh: "线索" },
  titleField: "name",
  ownership: "user" as const,
  fields: [
    { name: "name", type: "text" as const, required: true },
    { name: "amount", type: "decimal" as const },
  ],
};

const simple = bpmnXml(
  `<startEvent id="s"/><userTask id="review" camunda:assignee="\${initiator}"/><endEvent id="e"/>${chain("s", "review", "e")}`,
);

const deploy = (body: unknown) => engine.http("/api/workflows/deployments", { method: "POST", body });

beforeAll(async () => {
  engine = await startTestEngine();
  await defineEntities(engine.ctx, [lead]);
});
afterAll(() => engine?.close());

describe("POST /api/workflows/deployments", () => {
  it("versions by content: the same XML keeps its version, a change makes the next one", async () => {
    const first = await deploy({ key: "review", xml: simple, name: "Review" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ key: "review", version: 1, name: "Review" });
    const again = await deploy({ key: "review", xml: simple, name: "Review" });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    const changed = await deploy({
      key: "review",
      xml: simple.replace('id="review"', 'id="review2"').replace(/review"/g, 'review2"'),
      name: "Review",
    });
    expect(changed.status).toBe(201);
    expect(changed.body.version).toBe(2);
    const list = await engine.http("/api/workflows/deployments?key=review");
    expect(list.body.data.map((d: { version: number }) => d.version)).toEqual([2, 1]);
    const one = await engine.http("/api/workflows/deployments/review/1");
    expect(one.body.xml).toBe(simple);
    for (const version of ["99999999999999999999", "0", "-1", "1.5", "x"]) {
      const missing = await engine.http(`/api/workflows/deployments/review/${version}`);
      expect(missing.status, version).toBe(404);
      expect(missing.body.detail).toBe(`No deployment review v${version}`);
    }
  });

  it("refuses unsupported elements, scripts, unknown services, unknown forms and bad expressions, naming each element", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <complexGateway id="cg"/>
       <scriptTask id="script" scriptFormat="javascript"><script>this.constructor.constructor('return process')()</script></scriptTask>
       <serviceTask id="svc" camunda:type="external" camunda:topic="sendFax"/>
       <serviceTask id="svc2" camunda:delegateExpression="\${launchRocket}"/>
       <serviceTask id="svc3" camunda:type="external" camunda:topic="createRecord">${inputs({ entity: "lead", colour: "red" })}</serviceTask>
       <userTask id="form" camunda:formKey="embedded:app:forms/x.html"/>
       <intermediateCatchEvent id="wait"><timerEventDefinition><timeCycle>0 9 * * 1</timeCycle></timerEventDefinition></intermediateCatchEvent>
       <exclusiveGateway id="g"/>
       <sequenceFlow id="bad" sourceRef="s" targetRef="g"><conditionExpression xsi:type="tFormalExpression">\${amount &gt;&gt; 3}</conditionExpression></sequenceFlow>
       <sequenceFlow id="js" sourceRef="g" targetRef="svc" ><conditionExpression xsi:type="tFormalExpression" language="javascript">next(null, true)</conditionExpression></sequenceFlow>`,
    );
    const res = await deploy({ key: "bad", xml });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const byPath = (path: string) =>
      res.body.errors
        .filter((e: { path: string }) => e.path === path)
        .map((e: { message: string }) => e.message)
        .join(" | ");
    expect(byPath("/elements/cg")).toContain("ComplexGateway is not supported");
    expect(byPath("/elements/script")).toContain("script tasks are disabled");
    expect(byPath("/elements/svc")).toContain('unknown service "sendFax"');
    expect(byPath("/elements/svc2")).toContain('unknown service "launchRocket"');
    expect(byPath("/elements/svc3")).toContain('has no input "colour"');
    expect(byPath("/elements/svc3")).toContain('needs input "values"');
    expect(byPath("/elements/form")).toContain("unknown form");
    expect(byPath("/elements/wait")).toContain("cron expressions are not supported");
    expect(byPath("/elements/bad")).toContain("condition:");
    expect(byPath("/elements/js")).toContain("script conditions (javascript) are disabled");
    expect((await engine.http("/api/workflows/deployments?key=bad")).body.data).toEqual([]);
  });

  it("refuses a message or signal an instance would wait for forever, and keeps one its own process throws", async () => {
    const roots = '<message id="paid" name="Payment received"/><signal id="go" name="Go"/></definitions>';
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <intermediateCatchEvent id="wait_paid"><messageEventDefinition messageRef="paid"/></intermediateCatchEvent>
       <receiveTask id="receive" messageRef="paid"/>
       <userTask id="review" camunda:assignee="\${initiator}"/>
       <boundaryEvent id="stop" attachedToRef="review"><signalEventDefinition signalRef="go"/></boundaryEvent>
       <endEvent id="e"/><endEvent id="e2"/>${chain("s", "wait_paid", "receive", "review", "e")}${chain("stop", "e2")}`,
    ).replace("</definitions>", roots);
    const res = await deploy({ key: "waits_forever", xml });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        path: "/elements/wait_paid",
        message:
          'wait_paid: waits for message "Payment received", which nothing in this process throws (an instance receives no messages or signals from outside, so it would wait forever)',
      },
      {
        path: "/elements/receive",
        message:
          'receive: waits for message "Payment received", which nothing in this process throws (an instance receives no messages or signals from outside, so it would wait forever)',
      },
      {
        path: "/elements/stop",
        message:
          'stop: waits for signal "Go", which nothing in this process throws (an instance receives no messages or signals from outside, so it would wait forever)',
      },
    ]);
    const messageStart = bpmnXml(
      `<startEvent id="s"><messageEventDefinition messageRef="paid"/></startEvent><endEvent id="e"/>${chain("s", "e")}`,
    ).replace("</definitions>", roots);
    const started = await deploy({ key: "message_start", xml: messageStart });
    expect(started.body.errors).toEqual([
      {
        path: "/elements/s",
        message:
          "s: a message start event never starts an instance here; use a plain start event (instances start by trigger, by hand or by the API)",
      },
    ]);
    // A branch that throws the signal another branch waits for runs to its end.
    const thrown = bpmnXml(
      `<startEvent id="s"/><parallelGateway id="fork"/>
       <intermediateCatchEvent id="c"><signalEventDefinition signalRef="go"/></intermediateCatchEvent>
       <intermediateThrowEvent id="t"><signalEventDefinition signalRef="go"/></intermediateThrowEvent>
       <endEvent id="e1"/><endEvent id="e2"/>${chain("s", "fork", "c", "e1")}${chain("fork", "t", "e2")}`,
    ).replace("</definitions>", roots);
    expect((await deploy({ key: "signal_inside", xml: thrown })).status).toBe(201);
    const run = await engine.http("/api/workflows/signal_inside/instances", { method: "POST", body: {} });
    expect(run.body.status).toBe("completed");
  });

  it("refuses a task form whose constraints are not numbers or whose enum has no values", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <userTask id="quote" camunda:assignee="\${initiator}"><extensionElements><camunda:formData>
         <camunda:formField id="qty" type="long"><camunda:validation><camunda:constraint name="min" config="one"/></camunda:validation></camunda:formField>
         <camunda:formField id="tier" type="enum"/>
         <camunda:formField id="note" type="string"><camunda:validation><camunda:constraint name="maxlength" config="200"/></camunda:validation></camunda:formField>
       </camunda:formData></extensionElements></userTask>
       <endEvent id="e"/>${chain("s", "quote", "e")}`,
    );
    const res = await deploy({ key: "bad_form", xml });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: "/elements/quote", message: 'quote: form field "qty": min "one" is not a number' },
      { path: "/elements/quote", message: 'quote: form field "tier": an enum needs its values' },
    ]);
    const fixed = xml
      .replace('config="one"', 'config="1"')
      .replace(
        '<camunda:formField id="tier" type="enum"/>',
        '<camunda:formField id="tier" type="enum"><camunda:value id="gold" name="Gold"/></camunda:formField>',
      );
    expect((await deploy({ key: "bad_form", xml: fixed })).status).toBe(201);
  });

  it("refuses listeners, connectors, output parameters and candidate starters that would be silently dropped", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <userTask id="review" camunda:assignee="\${initiator}"><extensionElements>
         <camunda:taskListener class="com.acme.AssignReviewer" event="create"/>
         <camunda:inputOutput><camunda:inputParameter name="level">2</camunda:inputParameter></camunda:inputOutput>
       </extensionElements></userTask>
       <serviceTask id="read" camunda:type="external" camunda:topic="readRecord"><extensionElements>
         <camunda:executionListener expression="\${audit}" event="start"/>
         <camunda:inputOutput>
           <camunda:inputParameter name="entity">lead</camunda:inputParameter>
           <camunda:inputParameter name="id">\${leadId}</camunda:inputParameter>
           <camunda:outputParameter name="leadName">\${name}</camunda:outputParameter>
         </camunda:inputOutput>
       </extensionElements></serviceTask>
       <endEvent id="e"/>${chain("s", "review", "read", "e")}`,
    ).replace('<process id="p"', '<process id="p" camunda:candidateStarterGroups="managers"');
    const res = await deploy({ key: "camunda_extras", xml });
    expect(res.status).toBe(422);
    const messages = res.body.errors.map((e: { path: string; message: string }) => `${e.path} ${e.message}`);
    expect(messages).toEqual([
      "/elements/p p: candidate starters are not enforced: anyone who may start workflows may start this one (remove camunda:candidateStarterGroups/Users)",
      "/elements/review review: task listeners run code, which Kehu never does (use a service task of the library)",
      "/elements/review review: input parameters only feed a service task's inputs; elsewhere they would be ignored",
      "/elements/read read: execution listeners run code, which Kehu never does (use a service task of the library)",
      "/elements/read read: output parameters are not supported (name a service's result with camunda:resultVariable)",
    ]);
  });

  it("accepts what Camunda Modeler writes for a service: topic, delegateExpression, expression, class, implementation", async () => {
    const to = inputs({ to: "${initiator}", title: "Hello" });
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <serviceTask id="a" camunda:type="external" camunda:topic="notify">${to}</serviceTask>
       <serviceTask id="b" camunda:delegateExpression="\${notify}">${to}</serviceTask>
       <serviceTask id="c" camunda:expression="\${notify()}">${to}</serviceTask>
       <serviceTask id="d" camunda:class="com.acme.Notify">${to}</serviceTask>
       <serviceTask id="f" implementation="\${environment.services.notify}">${to}</serviceTask>
       <endEvent id="e"/>${chain("s", "a", "b", "c", "d", "f", "e")}`,
    );
    const res = await deploy({ key: "forms_of_services", xml });
    expect(res.status).toBe(201);
  });

  it("allows script tasks only once an administrator enables them", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/><scriptTask id="sc" scriptFormat="javascript"><script>next()</script></scriptTask><endEvent id="e"/>${chain("s", "sc", "e")}`,
    );
    expect((await deploy({ key: "scripted", xml })).status).toBe(422);
    const user = await engine.http("/api/workflows/settings", { method: "PUT", body: { scriptsEnabled: true } });
    expect(user.body).toEqual({ scriptsEnabled: true, httpAllowedHosts: [] });
    expect((await deploy({ key: "scripted", xml })).status).toBe(201);
    await engine.http("/api/workflows/settings", { method: "PUT", body: { scriptsEnabled: false } });
  });

  it("refuses a malformed request or XML with 4xx, and non-admins with 403", async () => {
    const res = await deploy({ key: "Bad Key", xml: 42, extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["/extra", "/key", "/xml"]);
    const broken = await deploy({ key: "broken", xml: "<definitions" });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0].path).toBe("/xml");
    const { createTestUser } = await import("../../testing");
    const user = await createTestUser(engine.ctx, { login: "clerk" });
    expect(
      (
        await engine.http("/api/workflows/deployments", {
          method: "POST",
          body: { key: "x", xml: simple },
          as: user.token,
        })
      ).status,
    ).toBe(403);
  });

  it("registers the fields a deployment reads in the impact graph", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <serviceTask id="create" camunda:type="external" camunda:topic="createRecord">${inputs({ entity: "lead", "values.name": "${company}" })}</serviceTask>
       <exclusiveGateway id="g" default="low"/>
       <endEvent id="e1"/><endEvent id="e2"/>
       ${chain("s", "create", "g")}
       <sequenceFlow id="high" sourceRef="g" targetRef="e1"><conditionExpression xsi:type="tFormalExpression">\${record.amount &gt; 10000}</conditionExpression></sequenceFlow>
       <sequenceFlow id="low" sourceRef="g" targetRef="e2"/>`,
    );
    const res = await deploy({ key: "lead_intake", xml, entity: "lead" });
    expect(res.status).toBe(201);
    const labels = (await engine.ctx.dependents.collect(engine.ctx.db.knex)).map((d) => d.label);
    expect(labels).toContain('workflow "lead_intake" v1 reads lead.name');
    expect(labels).toContain('workflow "lead_intake" v1 reads lead.amount');
  });

  it("refuses a field the workflow's entity does not have, in an expression or a record service's values", async () => {
    const xml = bpmnXml(
      `<startEvent id="s"/>
       <serviceTask id="mark" camunda:type="external" camunda:topic="updateRecord">${inputs({ entity: "lead", "values.stage": "won", "values.name": "x" })}</serviceTask>
       <exclusiveGateway id="g" default="low"/>
       <endEvent id="e1"/><endEvent id="e2"/>
       ${chain("s", "mark", "g")}
       <sequenceFlow id="high" sourceRef="g" targetRef="e1"><conditionExpression xsi:type="tFormalExpression">\${record.amout &gt; 10000 and record.id != null}</conditionExpression></sequenceFlow>
       <sequenceFlow id="low" sourceRef="g" targetRef="e2"/>`,
    );
    const res = await deploy({ key: "typos", xml, entity: "lead" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: "/elements/mark", message: 'mark: lead has no field "stage"' },
      { path: "/elements/high", message: 'high: lead has no field "amout"' },
    ]);
    expect((await engine.http("/api/workflows/deployments?key=typos")).body.data).toEqual([]);
  });
});
