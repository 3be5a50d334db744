import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { newBpmnEngine, sourceContextOf, sourceLeftOutOfState } from "./bpmn-engine-facade";
import { camundaModdle } from "./camunda-moddle";

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="facadeDefs" targetNamespace="http://kehu.dev/test">
  <process id="facade" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" camunda:assignee="ann"/>
    <endEvent id="done"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="done"/>
  </process>
</definitions>`;

const moddleOptions = { camunda: camundaModdle };

// Saved states leave their BPMN out and recover only from the deployment's parse (see run-engine): these tests fail
// when a bpmn-engine upgrade stops handing out that parse, before any instance saved that way could no longer recover.
describe("the parse a saved state recovers from", () => {
  it("is available from bpmn-engine", async () => {
    const context = await sourceContextOf(XML, moddleOptions);
    expect(context).toMatchObject({ id: "facadeDefs" });
  });

  it("keeps the BPMN out of a saved state, and the state recovers from it and runs to the end", async () => {
    const context = (await sourceContextOf(XML, moddleOptions))!;
    const first = newBpmnEngine({ name: "i1", sourceContext: sourceLeftOutOfState(context, undefined), moddleOptions });
    const listener = new EventEmitter();
    const waitedAt = new Promise<string>((resolve) => listener.once("wait", (api: { id: string }) => resolve(api.id)));
    await first.execute({ listener });
    expect(await waitedAt).toBe("review");
    const state = await first.getState();
    // bpmn-engine saves the whole serialized parse under each definition's `source` unless it is left out.
    expect((state as { definitions: Array<{ source?: unknown }> }).definitions[0].source).toBeUndefined();

    const second = newBpmnEngine({ name: "i1", sourceContext: sourceLeftOutOfState(context, state), moddleOptions });
    const ended = new Promise<void>((resolve) => second.once("end", () => resolve()));
    const execution = await second.recover(state).resume({ listener: new EventEmitter() });
    const [task] = execution.getPostponed().filter((a) => a.id === "review");
    expect(task).toBeDefined();
    task.signal({ approved: true });
    await ended;
    expect(second.state).toBe("idle");
  });
});
