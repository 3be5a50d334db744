// The bare in-memory bpmn-engine baseline of bench/workflow: the same XML and service as Kehu's persisted runtime,
// without a database. Used in-process and by bare-bpmn-worker.ts for the two-process ceiling.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";

// bpmn-engine is the engine package's dependency; the baseline loads the same copy.
const engineRequire = createRequire(new URL("../engine/package.json", import.meta.url));
const { Engine } = engineRequire("bpmn-engine") as { Engine: new (o: object) => BareEngine };
const camunda = engineRequire("camunda-bpmn-moddle/resources/camunda.json");
interface BareExecution {
  getPostponed(): Array<{ id: string; signal(m?: unknown): void }>;
}
interface BareEngine {
  execute(o: object): Promise<BareExecution>;
  recover(s: unknown): BareEngine;
  resume(o: object): Promise<BareExecution>;
  getState(): Promise<unknown>;
  stop(): Promise<void>;
  waitFor(e: string): Promise<unknown>;
}

export const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="b">
  <process id="p" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="svc"/>
    <serviceTask id="svc" camunda:type="external" camunda:topic="notify" implementation="\${environment.services.notify}">
      <extensionElements><camunda:inputOutput><camunda:inputParameter name="to">amy</camunda:inputParameter>
      <camunda:inputParameter name="title">New lead</camunda:inputParameter></camunda:inputOutput></extensionElements></serviceTask>
    <sequenceFlow id="f2" sourceRef="svc" targetRef="approve"/>
    <userTask id="approve" camunda:assignee="amy"/><sequenceFlow id="f3" sourceRef="approve" targetRef="e"/><endEvent id="e"/>
  </process></definitions>`;
export const timerXml = xml
  .replace(
    'targetRef="approve"/>',
    'targetRef="wait"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT2S</timeDuration></timerEventDefinition></intermediateCatchEvent><sequenceFlow id="f9" sourceRef="wait" targetRef="e"/>',
  )
  .replace(/<userTask id="approve".*?<endEvent id="e"\/>/s, '<endEvent id="e"/>');

// bpmn-engine keeps the parse it starts for `source` under this symbol (Kehu's sourceContextOf reads it the same way).
export async function parsedOnce(): Promise<unknown> {
  const engine = new Engine({ source: xml, moddleOptions: { camunda } }) as unknown as Record<symbol, Set<unknown>>;
  return await [...engine[Symbol.for("pending sources")]][0];
}

/**
 * Bare bpmn-engine, in memory: start → service (async, setImmediate) → user task wait, state through JSON, a new engine
 * recovers, resumes and completes the task. `sourceContext` set: the XML is parsed once and every engine reuses the
 * parse, as Kehu's runtime does (the fair baseline); unset: every engine parses the XML again.
 */
// Engines log nowhere, as Kehu's do (newBpmnEngine): the default debug loggers cost ~3% of an instance's CPU.
const SILENT = { debug() {}, error() {}, warn() {} };
const quietLogs = process.env.DEBUG ? {} : { Logger: () => SILENT };

export async function bare(n: number, sourceContext?: unknown): Promise<number> {
  const services = {
    notify: (_scope: unknown, cb: (e: unknown, r?: unknown) => void) => setImmediate(() => cb(null, { ok: true })),
  };
  const source = sourceContext ? { sourceContext } : { source: xml };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const listener = new EventEmitter();
    const waiting = new Promise((r) => listener.once("wait", r));
    const e1 = new Engine({ name: `b${i}`, ...quietLogs, ...source, moddleOptions: { camunda }, services });
    await e1.execute({ listener, variables: { i } });
    await waiting;
    const state = JSON.parse(JSON.stringify(await e1.getState()));
    await e1.stop();
    const e2 = new Engine({
      name: `b${i}`,
      ...quietLogs,
      ...(sourceContext ? { sourceContext } : {}),
      moddleOptions: { camunda },
      services,
    }).recover(state);
    const ended = e2.waitFor("end");
    const execution = await e2.resume({ listener: new EventEmitter() });
    execution
      .getPostponed()
      .find((a) => a.id === "approve")!
      .signal({ outcome: "approve" });
    await ended;
  }
  return n / ((performance.now() - t0) / 1000);
}
